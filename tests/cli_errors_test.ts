/**
 * Every command ends a failure on the one path: a usage error is one line starting with the
 * command's name and exit status 2; a bug is one line and exit status 1, with its stack trace
 * only when `--debug` is given.
 */
import assert from "node:assert/strict";
import { COMMANDS } from "../cli/commands.ts";
import { runCli } from "../cli/mod.ts";
import { openResultsStore } from "../store/mod.ts";

async function cli(argv: string[], broken = false) {
  let out = "";
  let err = "";
  const code = await runCli(argv, {
    // A broken writer: whatever the command prints first throws, as a bug would.
    out: (text) => {
      if (broken) throw new TypeError("the output stream is broken");
      out += text;
    },
    err: (text) => (err += text),
  });
  return { code, out, err };
}

const NAMES = [
  "bench",
  "tune",
  "compare",
  "reprice",
  "history",
  "export",
  "merge",
  "prices",
  "check-store",
];

Deno.test("the commands are the nine the docs name", () => {
  assert.deepEqual(COMMANDS.map((command) => command.name), NAMES);
});

for (const name of NAMES) {
  Deno.test(`${name}: a usage error is one line and exit 2`, async () => {
    const usage = await cli([name, "--bogus"]);
    assert.equal(usage.code, 2);
    assert.equal(usage.out, "");
    assert.equal(usage.err, `${name}: Unknown option '--bogus' (see --help)\n`);
    // A value the flag's check refuses, or the wrong number of positional arguments.
    const wrong = await cli(
      name === "export"
        ? [name, "latest", "--format", "xml"]
        : name === "prices"
        ? [name, "--url", " "]
        : [name, "a", "b", "c"],
    );
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, new RegExp(`^${name}: [^\\n]+\\n$`));
  });

  Deno.test(`${name}: a bug is one line and exit 1; --debug adds its stack trace`, async () => {
    const quiet = await cli([name, "--help"], true);
    assert.equal(quiet.code, 1);
    assert.equal(
      quiet.err,
      `${name}: unexpected error (a bug): TypeError: the output stream is broken; ` +
        "add --debug for the stack trace\n",
    );
    const debug = await cli([name, "--help", "--debug"], true);
    assert.equal(debug.code, 1);
    const [line, ...stack] = debug.err.trimEnd().split("\n");
    assert.equal(line, `${name}: unexpected error (a bug): TypeError: the output stream is broken`);
    assert.equal(stack[0], "TypeError: the output stream is broken");
    assert.ok(stack.slice(1).every((frame) => /^ {4}at /.test(frame)), debug.err);
    assert.ok(stack.length > 2, debug.err);
  });
}

Deno.test("a bug inside a command's own work takes the same path (prices, history)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (
      const argv of [
        ["prices", "--file", `${dir}/none.json`],
        ["history", "--db", `${dir}/new.db`],
      ]
    ) {
      // An empty store: history prints "no benchmarks yet", through the broken writer.
      if (argv[0] === "history") openResultsStore(`${dir}/new.db`).close();
      const { code, err } = await cli(argv, true);
      assert.equal(code, 1, err);
      assert.match(err, new RegExp(`^${argv[0]}: unexpected error \\(a bug\\): TypeError: `));
      assert.equal(err.trimEnd().split("\n").length, 1);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("prices --help works", async () => {
  const { code, out } = await cli(["prices", "--help"]);
  assert.equal(code, 0);
  assert.match(out, /^Usage: deno task prices \[options\]/);
  assert.match(out, /^ {2}--update +fetch the catalog data/m);
});
