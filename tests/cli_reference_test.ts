/**
 * Each flag is declared once, and its parser, its `--help` line and its row in `docs/cli.md` say
 * the same: a flag the parser does not know, a help line or a docs row with no declaration, or a
 * page not regenerated after a declaration changed (`deno task docs`) fails here.
 */
import assert from "node:assert/strict";
import { type Command, commandFlags, formatCommandHelp, parseCommandLine } from "../cli/command.ts";
import { COMMANDS } from "../cli/commands.ts";
import { flagTableRow, flagUsage } from "../cli/flag_help.ts";
import { flagName } from "../cli/flags.ts";
import { runCli } from "../cli/mod.ts";
import { UsageError } from "../cli/usage_error.ts";
import { CLI_REFERENCE_PATH, denoFmtMarkdown, formatCliReference } from "../tools/cli_reference.ts";

const page = await Deno.readTextFile(new URL(`../${CLI_REFERENCE_PATH}`, import.meta.url));

/** A command's section of the page: from its heading to the next. */
function section(name: string): string {
  const start = page.indexOf(`\n## ${name}\n`);
  assert.ok(start >= 0, `${CLI_REFERENCE_PATH} has no section "## ${name}"`);
  const end = page.indexOf("\n## ", start + 1);
  return page.slice(start, end < 0 ? undefined : end);
}

/** Text as a regular expression that matches it literally. */
const literally = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A Markdown table row with its cells' padding folded, as `deno fmt` may align it. */
const foldRow = (row: string): string =>
  row.split(/(?<!\\)\|/).map((cell) => cell.trim()).join("|");

/** The flags of a help text or a docs section, as `--name` (from the start of its lines). */
function flagsIn(text: string, line: RegExp): string[] {
  return [...text.matchAll(line)].map((match) => match[1]);
}

async function help(command: Command): Promise<string> {
  let out = "";
  const io = { out: (text: string) => (out += text), err: (text: string) => assert.fail(text) };
  assert.equal(await runCli([command.name, "--help"], io), 0, command.name);
  return out;
}

for (const command of COMMANDS) {
  Deno.test(`${command.name}: every flag's parser, help line and docs row agree`, async () => {
    const flags = Object.entries(commandFlags(command));
    const names = flags.map(([key, flag]) => `--${flagName(key, flag)}`);
    const text = await help(command);
    assert.equal(text, formatCommandHelp(command));
    const docs = section(command.name);
    const docRows = docs.split("\n").filter((row) => row.startsWith("| `-")).map(foldRow);
    // Nothing in the help or the docs that is not declared, nothing declared missing from them.
    assert.deepEqual(flagsIn(text, /^ {2}(?:-\w, )?(--[\w-]+)/gm), names, `${command.name} --help`);
    assert.deepEqual(
      flagsIn(docRows.join("\n"), /^\|`(?:-\w, )?(--[\w-]+)/gm),
      names,
      `${CLI_REFERENCE_PATH} ## ${command.name}`,
    );
    const defaults = parseCommandLine(
      { ...command, positionals: undefined },
      [],
    ).options as Record<string, unknown>;
    for (const [key, flag] of flags) {
      const name = `--${flagName(key, flag)}`;
      // The help line shows the flag with its value and the first words of its help.
      const usage = flagUsage(key, flag);
      assert.match(text, new RegExp(`^ {2}${literally(usage)}\\s+\\S`, "m"), usage);
      // ... and its help in full, followed by the default the docs show.
      const said = flag.shown === null ? flag.help : `${flag.help} (default ${flag.shown})`;
      assert.ok(
        text.replace(/\s+/g, " ").includes(said.replace(/\s+/g, " ")),
        `${command.name} --help does not say "${said}"`,
      );
      // The docs row is the declaration's.
      assert.ok(docRows.includes(foldRow(flagTableRow(key, flag))), `docs row of ${name}`);
      // The parser knows the flag: not given, it is the declared default; given, it is read
      // by the flag's own check (a value it refuses names the flag), never unknown.
      assert.deepEqual(defaults[key], flag.default, `default of ${name}`);
      const argv = flag.value === null ? [name] : [name, "x"];
      try {
        const { given } = parseCommandLine({ ...command, positionals: undefined }, argv);
        assert.ok(given.has(name.slice(2)), name);
      } catch (error) {
        assert.ok(error instanceof UsageError, `${name}: ${error}`);
        assert.ok(
          error.message.startsWith(`${name} `) || error.message.startsWith(`${name}:`),
          error.message,
        );
      }
    }
  });
}

Deno.test(`${CLI_REFERENCE_PATH} is what deno task docs writes from the declarations`, async () => {
  assert.equal(
    page,
    await denoFmtMarkdown(formatCliReference()),
    `${CLI_REFERENCE_PATH} is out of date: run deno task docs`,
  );
});
