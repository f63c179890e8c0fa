/**
 * Records the LangChain callbacks an installed `@langchain/anthropic` makes for one call against
 * the loopback Anthropic server (940 uncached + 128 cached input tokens, 25 output), as the worker
 * forwards them, into `tests/fixtures/callbacks/anthropic-<version>-<invoke|stream>.json`: the
 * fixtures `tests/integration_versions_test.ts` replays into the handler, one per version shape.
 *
 * Run from a folder where that version is installed (node_modules), e.g.:
 * `deno run -A --no-config --node-modules-dir=manual <repo>/tools/capture_callbacks.ts`
 *
 * @module
 */
import { anthropicUsage, startAnthropicServer } from "../tests/fixtures/anthropic_server.ts";
import { forwardingHandler } from "../worker/forwarding_handler.ts";
import { installedEntry } from "../worker/project_module.ts";

const dir = Deno.cwd();
const manifest = JSON.parse(
  await Deno.readTextFile(`${dir}/node_modules/@langchain/anthropic/package.json`),
);
const entry = await installedEntry(
  "@langchain/anthropic",
  dir,
  (path) => Deno.readTextFile(path).catch(() => null),
  (path) => Deno.realPath(path),
);
const { ChatAnthropic } = await import(entry!);
const out = new URL("../tests/fixtures/callbacks/", import.meta.url).pathname;
for (const streaming of [false, true]) {
  await using server = startAnthropicServer(() => ({
    model: "claude-3-5-haiku-20241022",
    text: "Noted: you like it.",
    usage: anthropicUsage(940, 25, { read: 128 }),
  }));
  const events: unknown[] = [];
  let clock = 0;
  const handler = forwardingHandler(
    (method, _atMs, args) => events.push({ method, args }),
    () => clock++,
  );
  const llm = new ChatAnthropic({
    model: "claude-3-5-haiku-20241022",
    apiKey: "sk-ant-test",
    anthropicApiUrl: server.origin,
    maxRetries: 0,
    streaming,
  });
  await llm.invoke("I like green tea.", { callbacks: [handler] });
  const file = `${out}anthropic-${manifest.version}-${streaming ? "stream" : "invoke"}.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify(
      { package: `@langchain/anthropic@${manifest.version}`, streaming, events },
      null,
      1,
    ) + "\n",
  );
  console.log(file);
}
