/**
 * The JSON each stage of the reference workload answers with, as zod schemas (the schema is the
 * type). Every model answer is parsed against these at the stage's edge; an answer that fails is
 * an invalid output of that stage.
 *
 * @module
 */
import { z } from "zod";
import type { SameKeys } from "../pricing/_same_keys.ts";

/**
 * The marker a relationship analysis uses when no existing node fits a chunk.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { NO_RELEVANT_NODE } from "./schemas.ts";
 *
 * strictEqual(NO_RELEVANT_NODE, "NO_RELEVANT_NODE");
 * ```
 */
export const NO_RELEVANT_NODE = "NO_RELEVANT_NODE";

/**
 * One piece of thought cut out of a window by the segmentation stage.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { chunkSchema } from "./schemas.ts";
 *
 * strictEqual(chunkSchema.safeParse({ name: "Ship", text: "We ship.", is_complete: true }).success, true);
 * ```
 */
export const chunkSchema: z.ZodObject<{
  name: z.ZodString;
  text: z.ZodString;
  is_complete: z.ZodBoolean;
}> = z.object({
  /** A short title for the chunk. */
  name: z.string().min(1),
  /** The chunk's text, in the speaker's words. */
  text: z.string().min(1),
  /** False when the thought runs on past the window (the chunk is carried into the next one). */
  is_complete: z.boolean(),
});
/** One piece of thought cut out of a window by the segmentation stage. */
export interface Chunk {
  /** A short title for the chunk. */
  name: string;
  /** The chunk's text, in the speaker's words. */
  text: string;
  /** False when the thought runs on past the window (the chunk is carried into the next one). */
  is_complete: boolean;
}

/**
 * The segmentation stage's answer.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { SegmentationOutput } from "./schemas.ts";
 *
 * strictEqual(SegmentationOutput.safeParse({ chunks: [] }).success, true);
 * strictEqual(SegmentationOutput.safeParse({ chunk: [] }).success, false);
 * ```
 */
export const SegmentationOutput: z.ZodObject<{ chunks: z.ZodArray<typeof chunkSchema> }> = z.object(
  {
    chunks: z.array(chunkSchema),
  },
);
/** The segmentation stage's answer. */
export type SegmentationOutput = z.infer<typeof SegmentationOutput>;

/**
 * How one chunk relates to the tree so far.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { chunkAnalysisSchema } from "./schemas.ts";
 *
 * strictEqual(
 *   chunkAnalysisSchema.safeParse({
 *     name: "Ship", text: "We ship.", reasoning: "New.", relevant_node_name: "NO_RELEVANT_NODE",
 *     relationship: null,
 *   }).success,
 *   true,
 * );
 * ```
 */
export const chunkAnalysisSchema: z.ZodObject<{
  name: z.ZodString;
  text: z.ZodString;
  reasoning: z.ZodString;
  relevant_node_name: z.ZodString;
  relationship: z.ZodNullable<z.ZodString>;
}> = z.object({
  /** The chunk's name, as segmentation gave it. */
  name: z.string().min(1),
  /** The chunk's text. */
  text: z.string().min(1),
  /** Why the chunk was related (or not) to a node. */
  reasoning: z.string(),
  /** The most relevant existing node, or {@linkcode NO_RELEVANT_NODE}. */
  relevant_node_name: z.string().min(1),
  /** The kind of relationship, e.g. "elaborates on"; empty when no node is relevant. */
  relationship: z.string().nullable(),
});
/** How one chunk relates to the tree so far. */
export interface ChunkAnalysis {
  /** The chunk's name, as segmentation gave it. */
  name: string;
  /** The chunk's text. */
  text: string;
  /** Why the chunk was related (or not) to a node. */
  reasoning: string;
  /** The most relevant existing node, or {@linkcode NO_RELEVANT_NODE}. */
  relevant_node_name: string;
  /** The kind of relationship, e.g. "elaborates on"; empty when no node is relevant. */
  relationship: string | null;
}

/**
 * The relationship analysis stage's answer.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { RelationshipAnalysisOutput } from "./schemas.ts";
 *
 * strictEqual(RelationshipAnalysisOutput.safeParse({ analyses: [] }).success, true);
 * ```
 */
export const RelationshipAnalysisOutput: z.ZodObject<
  { analyses: z.ZodArray<typeof chunkAnalysisSchema> }
> = z.object({ analyses: z.array(chunkAnalysisSchema) });
/** The relationship analysis stage's answer. */
export type RelationshipAnalysisOutput = z.infer<typeof RelationshipAnalysisOutput>;

/**
 * What to do with one chunk: create a node for it or append it to an existing node.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { integrationDecisionSchema } from "./schemas.ts";
 *
 * strictEqual(
 *   integrationDecisionSchema.safeParse({
 *     action: "MERGE", target_node: null, new_node_name: null, new_node_summary: null,
 *     relationship_for_edge: null, content: "",
 *   }).success,
 *   false,
 * );
 * ```
 */
export const integrationDecisionSchema: z.ZodObject<{
  action: z.ZodEnum<{ CREATE: "CREATE"; APPEND: "APPEND" }>;
  target_node: z.ZodNullable<z.ZodString>;
  new_node_name: z.ZodNullable<z.ZodString>;
  new_node_summary: z.ZodNullable<z.ZodString>;
  relationship_for_edge: z.ZodNullable<z.ZodString>;
  content: z.ZodString;
}> = z.object({
  /** `CREATE` a new node or `APPEND` to `target_node`. */
  action: z.enum(["CREATE", "APPEND"]),
  /** APPEND: the node to append to. CREATE: the new node's parent, or null for a root. */
  target_node: z.string().nullable(),
  /** CREATE: the new node's name. */
  new_node_name: z.string().nullable(),
  /** CREATE: a one-line summary of the new node. */
  new_node_summary: z.string().nullable(),
  /** CREATE: the label of the edge from the parent, e.g. "elaborates on". */
  relationship_for_edge: z.string().nullable(),
  /** The content to add, as a few bullet points (one per line, `- ` first). */
  content: z.string(),
});
/** What to do with one chunk: create a node for it or append it to an existing node. */
export interface IntegrationDecision {
  /** `CREATE` a new node or `APPEND` to `target_node`. */
  action: "CREATE" | "APPEND";
  /** APPEND: the node to append to. CREATE: the new node's parent, or null for a root. */
  target_node: string | null;
  /** CREATE: the new node's name. */
  new_node_name: string | null;
  /** CREATE: a one-line summary of the new node. */
  new_node_summary: string | null;
  /** CREATE: the label of the edge from the parent, e.g. "elaborates on". */
  relationship_for_edge: string | null;
  /** The content to add, as a few bullet points (one per line, `- ` first). */
  content: string;
}

// The compiler holds each interface to its schema: the parsed value is one, with no extra field.
const _sameFields: [
  SameKeys<Chunk, z.infer<typeof chunkSchema>>,
  SameKeys<ChunkAnalysis, z.infer<typeof chunkAnalysisSchema>>,
  SameKeys<IntegrationDecision, z.infer<typeof integrationDecisionSchema>>,
] = [true, true, true];
const _parsedIsInterface: [Chunk, ChunkAnalysis, IntegrationDecision] = [
  {} as z.infer<typeof chunkSchema>,
  {} as z.infer<typeof chunkAnalysisSchema>,
  {} as z.infer<typeof integrationDecisionSchema>,
];

/**
 * The integration decision stage's answer.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { IntegrationDecisionOutput } from "./schemas.ts";
 *
 * strictEqual(IntegrationDecisionOutput.safeParse({ decisions: [] }).success, true);
 * ```
 */
export const IntegrationDecisionOutput: z.ZodObject<
  { decisions: z.ZodArray<typeof integrationDecisionSchema> }
> = z.object({ decisions: z.array(integrationDecisionSchema) });
/** The integration decision stage's answer. */
export type IntegrationDecisionOutput = z.infer<typeof IntegrationDecisionOutput>;

/**
 * The node extraction stage's result: the nodes a window created.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { NodeExtractionOutput } from "./schemas.ts";
 *
 * deepStrictEqual(NodeExtractionOutput.parse({ new_nodes: ["Ship"] }), { new_nodes: ["Ship"] });
 * ```
 */
export const NodeExtractionOutput: z.ZodObject<{ new_nodes: z.ZodArray<z.ZodString> }> = z
  .object({ new_nodes: z.array(z.string()) });
/** The node extraction stage's result: the nodes a window created. */
export type NodeExtractionOutput = z.infer<typeof NodeExtractionOutput>;
