import assert from "node:assert/strict";
import { loadCachedCatalog, runPricesCli } from "../cli/prices.ts";
import {
  catalogAsOf,
  currentCatalog,
  isCatalogStale,
  useBundledCatalog,
} from "../pricing/catalog.ts";
import { priceCall } from "../pricing/price_call.ts";

/** A catalog as genai-prices publishes it (data.json), with one model at made-up rates. */
const CATALOG = [{
  id: "openai",
  name: "OpenAI",
  api_pattern: "https://api\\.openai\\.com",
  models: [{
    id: "gpt-test",
    match: { equals: "gpt-test" },
    prices: [
      { prices: { input_mtok: 1, output_mtok: 2 } },
      {
        constraint: { type: "start_date", start_date: "2026-10-01" },
        prices: { input_mtok: 3, output_mtok: 4 },
      },
    ],
  }],
}];

function serve(body: string, status = 200) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(body, { status, headers: { "content-type": "application/json" } }),
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/data.json`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

const usage = {
  inputTokens: 1_000_000,
  outputTokens: 1_000_000,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
};

Deno.test("prices --update caches the served catalog, which then prices calls", async () => {
  await using server = serve(JSON.stringify(CATALOG));
  const dir = await Deno.makeTempDir();
  const file = `${dir}/cache/prices.json`;
  let out = "";
  try {
    const code = await runPricesCli(["--update", "--url", server.url, "--file", file], {
      out: (text) => (out += text),
      err: (text) => assert.fail(text),
    });
    assert.equal(code, 0);
    assert.match(out, /1 providers, data to 2026-10-01, cached to .*prices\.json/);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(file)), CATALOG);
    const at = (iso: string) =>
      priceCall(usage, "gpt-test", { provider: "openai", at: new Date(iso) });
    assert.equal(at("2026-11-01T00:00:00Z").costUsd, 7);
    assert.equal(at("2026-09-01T00:00:00Z").costUsd, 3);
    assert.equal(currentCatalog().origin, "file");
    // Fetched today: current to today, whatever its newest price change (2026-10-01 here).
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(currentCatalog().fetchedOn, today);
    assert.equal(catalogAsOf(Date.now()), today);
    assert.equal(isCatalogStale(Date.now()), false);

    // Back to the bundled catalog (the offline fallback), then the cached file again.
    await useBundledCatalog();
    assert.equal(priceCall(usage, "gpt-test", { provider: "openai" }).costUsd, null);
    assert.equal(await loadCachedCatalog(file), true);
    assert.equal(priceCall(usage, "gpt-test", { provider: "openai" }).costUsd, 7);
    assert.match(currentCatalog().version, /prices\.json \(fetched \d{4}-\d{2}-\d{2}\)/);
  } finally {
    await useBundledCatalog();
    await Deno.remove(dir, { recursive: true });
  }
  assert.equal(currentCatalog().origin, "bundled");
});

Deno.test("prices --update: an unreachable URL or bad data is one line, exit 2, cache kept", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/prices.json`;
  try {
    for (
      const [body, status, message] of [
        ["[]", 200, /not genai-prices catalog data/],
        ["{nope", 200, /not valid JSON/],
        ["gone", 404, /answered 404; the bundled catalog stays in use/],
      ] as const
    ) {
      await using server = serve(body, status);
      let err = "";
      const code = await runPricesCli(["--update", "--url", server.url, "--file", file], {
        out: () => {},
        err: (text) => (err += text),
      });
      assert.equal(code, 2);
      assert.match(err, message);
      assert.equal(err.trim().split("\n").length, 1);
    }
    await assert.rejects(Deno.stat(file), Deno.errors.NotFound);
    assert.equal(currentCatalog().origin, "bundled");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
