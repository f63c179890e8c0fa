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
 * @throws {UsageError} When it is empty, not JSON (one pretty-printed object is named as
 * such), an example has no `inputs`, or two share an id.
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
  // A byte order mark (Windows editors write one) is not part of the JSON.
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  let items: { value: unknown; where: string }[];
  if (text.trimStart().startsWith("{") && !isJsonl(text)) {
    const shape = oneObject(text);
    if (shape !== null) throw new UsageError(`--dataset ${source}: ${shape}`);
  }
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

/** Whether the first non-empty line of a text is a whole JSON value (JSONL, not pretty JSON). */
function isJsonl(text: string): boolean {
  const first = text.split("\n").find((line) => line.trim() !== "") ?? "";
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with a text that is one JSON object over several lines, or null. */
function oneObject(text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const lists = Object.entries(value).filter(([, v]) => Array.isArray(v)).map(([k]) => `"${k}"`);
  return "it is one JSON object over several lines, not JSONL (one example per line) nor a " +
    "JSON array of examples; put each example on a line of its own, or give the list in [ ]" +
    (lists.length > 0 ? ` (its ${lists.join(", ")} holds a list)` : "");
}

/**
 * What is wrong with a file's bytes as UTF-8 text, or null: UTF-16 (a byte order mark, or the
 * zero bytes of its ASCII), or binary.
 *
 * @param bytes The file's first bytes.
 * @returns Why it cannot be read, or null.
 */
function encodingProblem(bytes: Uint8Array): string | null {
  const [a, b] = bytes;
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
    return "it is UTF-16 text; save it as UTF-8";
  }
  const zeros = bytes.slice(0, 4096).filter((byte) => byte === 0).length;
  if (zeros === 0) return null;
  const sample = Math.min(bytes.length, 4096);
  return zeros * 3 >= sample
    ? "it looks like UTF-16 text (every other byte is zero); save it as UTF-8"
    : "it holds zero bytes: it is not a text file";
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
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file"
      : (error as Error).message;
    throw new UsageError(`--dataset ${path}: cannot read it (${reason})`);
  }
  const problem = encodingProblem(bytes);
  if (problem !== null) throw new UsageError(`--dataset ${path}: ${problem}`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`--dataset ${path}: it is not valid UTF-8 text; save it as UTF-8`);
  }
  return parseDataset(text, path);
}
