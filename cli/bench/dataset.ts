/**
 * Reads a dataset for `--dataset`: JSONL, or a JSON array, of examples
 * `{ "id"?, "inputs", "outputs"?, "metadata"? }` (the shape of a LangSmith dataset export; the
 * reference `outputs` are what evaluators get as `referenceOutputs`; other fields are ignored).
 *
 * @module
 */
import { z } from "zod";
import { UsageError } from "../usage_error.ts";

/** One example of a dataset. */
export interface DatasetExample {
  /** Its id: the example's own, or `example-<n>` (n from 1, in file order). */
  id: string;
  /** What the graph is invoked with. */
  inputs: unknown;
  /** The reference outputs (evaluators' `referenceOutputs`), or undefined without them. */
  outputs: unknown;
  /** Its metadata, or null. */
  metadata: Record<string, unknown> | null;
}

const Example = z.object({
  id: z.union([z.string().min(1), z.number()]).optional(),
  inputs: z.unknown().refine((value) => value !== undefined, "inputs is missing"),
  outputs: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
});

/**
 * Parses a dataset's text.
 *
 * @param text The file's text: JSONL, or a JSON array.
 * @param source The file's name, for messages.
 * @returns The examples, in file order.
 * @throws {UsageError} When it is empty, not JSON, an example has no `inputs`, or two share an id.
 *
 * @example Usage
 * ```ts
 * import { parseDataset } from "./dataset.ts";
 * import assert from "node:assert/strict";
 *
 * const examples = parseDataset('{"inputs": {"q": "hi"}}\n{"id": "b", "inputs": {"q": "yo"}}\n');
 * assert.deepEqual(examples.map((e) => e.id), ["example-1", "b"]);
 * ```
 */
export function parseDataset(text: string, source = "dataset"): DatasetExample[] {
  let items: { value: unknown; where: string }[];
  if (text.trimStart().startsWith("[")) {
    let array: unknown;
    try {
      array = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--dataset ${source}: not valid JSON (${(error as Error).message})`);
    }
    items = (array as unknown[]).map((value, i) => ({ value, where: `item ${i + 1}` }));
  } else {
    items = [];
    text.split("\n").forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        items.push({ value: JSON.parse(line), where: `line ${i + 1}` });
      } catch {
        throw new UsageError(`--dataset ${source}: line ${i + 1} is not valid JSON`);
      }
    });
  }
  if (items.length === 0) throw new UsageError(`--dataset ${source} holds no examples`);
  const seen = new Set<string>();
  return items.map(({ value, where }, index) => {
    const parsed = Example.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue.path.length ? ` at ${issue.path.join(".")}` : "";
      throw new UsageError(
        `--dataset ${source}: ${where} is not an example {"id"?, "inputs", "metadata"?}` +
          `${path}: ${issue.message}`,
      );
    }
    const id = parsed.data.id === undefined ? `example-${index + 1}` : String(parsed.data.id);
    if (seen.has(id)) {
      throw new UsageError(`--dataset ${source}: two examples share the id "${id}"`);
    }
    seen.add(id);
    return {
      id,
      inputs: parsed.data.inputs,
      outputs: parsed.data.outputs ?? undefined,
      metadata: parsed.data.metadata ?? null,
    };
  });
}

/**
 * Reads and parses a dataset file (an I/O edge).
 *
 * @param path The file.
 * @returns The examples.
 * @throws {UsageError} When it cannot be read or parsed.
 *
 * @example Usage
 * ```ts ignore
 * import { readDataset } from "./dataset.ts";
 *
 * const examples = await readDataset("tests/fixtures/user_graph/dataset.jsonl");
 * ```
 */
export async function readDataset(path: string): Promise<DatasetExample[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file"
      : (error as Error).message;
    throw new UsageError(`--dataset ${path}: cannot read it (${reason})`);
  }
  return parseDataset(text, path);
}
