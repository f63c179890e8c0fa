/**
 * The root, `./otel` and `./sdk` on Node 20/22/24 and Bun, from the package as JSR's npm layer
 * serves it (`tests/support/npm_layer.ts`): the same recorded calls and the same SDK call give
 * the same tokens, costs, spans, metric points and catalog version as on Deno.
 */
import assert from "node:assert/strict";
import { npmLayer, runtimes } from "./support/npm_layer.ts";

const ROOT = new URL("../", import.meta.url);
const CHECK = new URL("./fixtures/runtimes/check.mjs", import.meta.url).pathname;
const RECORDED = new URL("./fixtures/callbacks/anthropic-1.5.11-invoke.json", import.meta.url)
  .pathname;

async function measure(command: string[], script: string, base: string, ext: string) {
  const { code, stdout, stderr } = await new Deno.Command(command[0], {
    args: [...command.slice(1), script, base, ext, RECORDED],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const err = new TextDecoder().decode(stderr);
  assert.equal(code, 0, `${command.join(" ")}: ${err}`);
  return JSON.parse(new TextDecoder().decode(stdout));
}

Deno.test("the root, ./otel and ./sdk give Deno's numbers on Node 20/22/24 and Bun (JSR's npm layer)", async () => {
  const onDeno = await measure([Deno.execPath(), "run", "-A"], CHECK, ROOT.href, ".ts");
  assert.equal(onDeno.pricing.version, "0.1.8");
  assert.equal(onDeno.replayed.call.inputTokens, 1068);
  assert.equal(onDeno.sdk.call.stage, "draft");
  const layer = await npmLayer();
  // The script resolves the user's LangGraph from the layout's node_modules: it runs from there.
  const script = `${layer}/check.mjs`;
  await Deno.copyFile(CHECK, script);
  const found = await runtimes();
  assert.ok(found.length >= 4, found.map((r) => r.name).join(", "));
  for (const runtime of found) {
    const measured = await measure(runtime.command, script, `file://${layer}/`, ".js");
    assert.deepEqual(measured, onDeno, runtime.name);
  }
});
