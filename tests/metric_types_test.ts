/**
 * Field docs are written once, in the zod schemas: the published metric interfaces are generated
 * from them (`deno task types`, tools/metric_types.ts). These tests hold every generated block to
 * its schemas, and the renderer to what it promises (docs, types, extends, errors).
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { regenerate, TARGETS } from "../tools/metric_types.ts";
import { formatJsDoc, renderInterfaces } from "../tools/_zod_interfaces.ts";
import { pipelineMetricsJsonSchema } from "../telemetry/metrics.ts";

const ROOT = new URL("../", import.meta.url);

Deno.test("every generated interface block is what its schemas render (else: deno task types)", async () => {
  for (const target of TARGETS) {
    const text = await Deno.readTextFile(new URL(target.file, ROOT));
    assert.equal(text, await regenerate(target, text), `${target.file} is stale`);
  }
});

Deno.test("a field's doc and type come from its schema; a superset of a named object extends it", () => {
  const base = z.object({ count: z.number().int().describe("How many.") }).describe("A base.");
  const kind = z.enum(["ok", "error"]);
  const derived = z.object({
    ...base.shape,
    note: z.string().nullable().default(null).describe("A note, or null."),
    parts: z.array(base).optional().describe("Its parts."),
    kind: kind.describe("How it went."),
    byName: z.record(z.string(), z.number()).describe("Numbers by name."),
    version: z.literal(2).describe("The version."),
    status: z.enum(["a", "b"]).describe("A or b."),
  }).describe("A derived one.");
  const rendered = renderInterfaces(
    [{ name: "Derived", schema: derived }],
    [{ name: "Base", schema: base }],
    new Map([[kind, "Kind"]]),
  );
  assert.equal(
    rendered,
    [
      "/** A derived one. */",
      "export interface Derived extends Base {",
      "  /** A note, or null. */",
      "  readonly note: string | null;",
      "  /** Its parts. */",
      "  readonly parts?: readonly Base[];",
      "  /** How it went. */",
      "  readonly kind: Kind;",
      "  /** Numbers by name. */",
      "  readonly byName: Readonly<Record<string, number>>;",
      "  /** The version. */",
      "  readonly version: 2;",
      "  /** A or b. */",
      '  readonly status: "a" | "b";',
      "}",
      "",
    ].join("\n"),
  );
  const loose = z.object({ tags: z.array(z.string()).default([]).describe("Tags.") }).describe(
    "L.",
  );
  assert.equal(
    renderInterfaces([{ name: "Loose", schema: loose, optional: ["tags"] }]),
    "/** L. */\nexport interface Loose {\n  /** Tags. */\n  readonly tags?: readonly string[];\n}\n",
  );
  assert.throws(
    () => renderInterfaces([{ name: "Loose", schema: loose, optional: ["tag"] }]),
    /Loose\.tag: no such field/,
  );
  const mutable = renderInterfaces([{ name: "Base", schema: base, readonly: false }]);
  assert.equal(
    mutable,
    "/** A base. */\nexport interface Base {\n  /** How many. */\n  count: number;\n}\n",
  );
});

Deno.test("an inline interface is written out in full where it is used, documented, never named", () => {
  const point = z.object({ x: z.number().describe("Across.") }).describe("A point.");
  const shape = z.object({
    corner: point.describe("Its corner."),
    points: z.array(point).nullable().describe("Its points, or null."),
  }).describe("A shape.");
  const rendered = renderInterfaces(
    [{ name: "Shape", schema: shape }],
    [{ name: "Point", schema: point, inline: true }],
  );
  assert.doesNotMatch(rendered, /Point/);
  assert.equal(
    rendered,
    [
      "/** A shape. */",
      "export interface Shape {",
      "  /** Its corner. */",
      "  readonly corner: {",
      "      /** Across. */",
      "      readonly x: number;",
      "};",
      "  /** Its points, or null. */",
      "  readonly points: readonly {",
      "      /** Across. */",
      "      readonly x: number;",
      "}[] | null;",
      "}",
      "",
    ].join("\n"),
  );
  // A superset of an inline interface does not extend it (it has no name to extend).
  const bigger = z.object({ ...point.shape, y: z.number().describe("Up.") }).describe("Big.");
  const big = renderInterfaces([{ name: "Big", schema: bigger }], [{
    name: "Point",
    schema: point,
    inline: true,
  }]);
  assert.match(big, /^export interface Big \{$/m);
});

Deno.test("an undocumented field or an unnamed nested object is an error that names it", () => {
  const bare = z.object({ x: z.number() }).describe("Bare.");
  assert.throws(
    () => renderInterfaces([{ name: "Bare", schema: bare }]),
    /Bare\.x has no description/,
  );
  const nested = z.object({ inner: z.object({}).describe("Inner.") }).describe("Outer.");
  assert.throws(
    () => renderInterfaces([{ name: "Outer", schema: nested }]),
    /Outer\.inner: a object schema has no name/,
  );
  assert.throws(
    () => renderInterfaces([{ name: "X", schema: z.object({}) }]),
    /X: the schema has no description/,
  );
});

Deno.test("a long description wraps into a JSDoc block of at most 100 columns", () => {
  const text = "word ".repeat(60).trim();
  const lines = formatJsDoc(text, "  ");
  assert.equal(lines[0], "  /**");
  assert.equal(lines.at(-1), "   */");
  assert.ok(lines.every((line) => line.length <= 100));
  assert.equal(lines.slice(1, -1).map((line) => line.slice(5)).join(" "), text);
  assert.deepEqual(formatJsDoc("Short.", ""), ["/** Short. */"]);
});

Deno.test("the JSON Schema carries the same descriptions the interfaces show", () => {
  const schema = pipelineMetricsJsonSchema() as {
    description: string;
    properties: Record<string, { description?: string }>;
  };
  assert.equal(
    schema.description,
    "Everything measured for one run (or, aggregated, for several) of a graph.",
  );
  assert.equal(schema.properties.runCount.description, "How many root runs these metrics cover.");
});
