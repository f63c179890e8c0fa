/**
 * The usage shapes of the LangChain integration versions users have (the ones in langchain-ai's
 * templates' lockfiles, and today's): the callbacks each one made for one call to the loopback
 * Anthropic server (940 uncached + 128 cache-read input tokens, 25 output), recorded by
 * `tools/capture_callbacks.ts` as the worker forwards them, replayed into the handler.
 */
import assert from "node:assert/strict";
import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
import { fromPlain } from "../worker/plain.ts";

interface Recorded {
  package: string;
  streaming: boolean;
  events: { method: string; args: unknown[] }[];
}

const DIR = new URL("./fixtures/callbacks/", import.meta.url);

async function replay(file: string) {
  const recorded = JSON.parse(await Deno.readTextFile(new URL(file, DIR))) as Recorded;
  const handler = new PerformanceCallbackHandler();
  const target = handler as unknown as Record<string, (...args: unknown[]) => void>;
  for (const event of recorded.events) {
    target[event.method].apply(handler, fromPlain(event.args) as unknown[]);
  }
  assert.equal(handler.handlerErrors, 0);
  const [call] = handler.metrics.calls;
  return { recorded, call };
}

for (const version of ["0.3.1", "0.3.3", "0.3.26", "1.5.11"]) {
  Deno.test(`@langchain/anthropic ${version}: a cache read is counted (invoke)`, async () => {
    const { recorded, call } = await replay(`anthropic-${version}-invoke.json`);
    assert.equal(recorded.package, `@langchain/anthropic@${version}`);
    assert.equal(call.model, "claude-3-5-haiku-20241022");
    assert.equal(call.inputTokens, 1068);
    assert.equal(call.cacheReadTokens, 128);
    assert.equal(call.outputTokens, 25);
    assert.deepEqual(call.costMissing ?? [], []);
  });
}

for (const version of ["0.3.26", "1.5.11"]) {
  Deno.test(`@langchain/anthropic ${version}: a cache read is counted (stream)`, async () => {
    const { call } = await replay(`anthropic-${version}-stream.json`);
    assert.equal(call.inputTokens, 1068);
    assert.equal(call.cacheReadTokens, 128);
    assert.equal(call.outputTokens, 25);
    assert.deepEqual(call.costMissing, []);
  });
}

for (const version of ["0.3.1", "0.3.3"]) {
  Deno.test(`@langchain/anthropic ${version} streamed: the cache read it drops is a stated gap, never a silent 0`, async () => {
    const { call } = await replay(`anthropic-${version}-stream.json`);
    // The integration's final message keeps only the uncached input and no raw usage.
    assert.equal(call.inputTokens, 940);
    assert.ok(call.costMissing?.includes("cache_read:unreported"), JSON.stringify(call));
  });
}
