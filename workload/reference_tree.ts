/**
 * The reference trees of the bundled transcripts, written by hand as an annotator would: the
 * topics a good tree of the transcript holds, each with a few of its key terms (words the
 * speaker used), and which topic each one belongs under. Shipped as `reference_trees/*.json`
 * beside this module; they are the workload's dataset `outputs`, what its evaluators compare the
 * built tree with. Matching a topic to the tree is pure and lives here too.
 *
 * @module
 */
import { z } from "zod";
import { contentWords } from "./text.ts";
import type { TreeNode } from "./tree.ts";

/** The zod schema of {@linkcode ReferenceTree}. */
export const referenceTreeSchema: z.ZodType<ReferenceTree> = z.object({
  transcript: z.string(),
  topics: z.array(z.object({
    topic: z.string().min(1),
    terms: z.array(z.string().min(1)).min(2),
    parent: z.string().nullable(),
  })).min(1),
}).superRefine((tree, context) => {
  const names = new Set(tree.topics.map((t) => t.topic));
  for (const topic of tree.topics) {
    if (topic.parent !== null && !names.has(topic.parent)) {
      context.addIssue({ code: "custom", message: `parent "${topic.parent}" is no topic` });
    }
  }
});

/** One topic of a reference tree. */
export interface ReferenceTopic {
  /** The topic, in a few words. */
  topic: string;
  /** Key terms the speaker used for it (two or more): a node holds the topic when it has half. */
  terms: string[];
  /** The topic it belongs under, or null for a top-level topic. */
  parent: string | null;
}

/** The tree a transcript should become. */
export interface ReferenceTree {
  /** The transcript's id. */
  transcript: string;
  /** Its topics, in the order they are raised. */
  topics: ReferenceTopic[];
}

/**
 * Loads the reference trees of bundled transcripts (needs `--allow-read` from a local checkout).
 *
 * @param ids The transcripts' ids.
 * @returns Each transcript's reference tree, in the order asked.
 * @throws {Error} For an id without a reference tree.
 *
 * @example Usage
 * ```ts
 * import { loadReferenceTrees } from "./reference_tree.ts";
 * import assert from "node:assert/strict";
 *
 * const [standup] = await loadReferenceTrees(["standup"]);
 * assert.equal(standup.transcript, "standup");
 * assert.ok(standup.topics.some((t) => t.parent !== null));
 * ```
 */
export async function loadReferenceTrees(ids: readonly string[]): Promise<ReferenceTree[]> {
  return await Promise.all(ids.map(async (id) => {
    const url = new URL(`./reference_trees/${id}.json`, import.meta.url);
    let text: string;
    if (url.protocol === "file:") {
      try {
        text = await Deno.readTextFile(url);
      } catch {
        throw new Error(`no reference tree for transcript "${id}"`);
      }
    } else {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`no reference tree for transcript "${id}"`);
      text = await response.text();
    }
    return referenceTreeSchema.parse(JSON.parse(text));
  }));
}

/** A topic's terms as content words (stemmed as the text is). */
function termsOf(topic: ReferenceTopic): Set<string> {
  return new Set(topic.terms.flatMap((term) => contentWords(term)));
}

/** How many of a topic's terms a text holds, and whether that is enough (half, at least two). */
export function termsFound(
  topic: ReferenceTopic,
  text: string,
): { found: number; enough: boolean } {
  const terms = termsOf(topic);
  const present = new Set(contentWords(text));
  let found = 0;
  for (const term of terms) if (present.has(term)) found++;
  return { found, enough: found >= Math.max(2, Math.ceil(terms.size / 2)) };
}

/** A node's text: its name, summary and content. */
function nodeText(node: TreeNode): string {
  return [node.name, node.summary, ...node.content].join(" ");
}

/**
 * The node of a tree that holds a topic: the one with the most of its terms, at least half of
 * them (of nodes with as many, the one with the fewest other words; then the first), or null.
 *
 * @param topic The topic.
 * @param tree The tree's nodes, in creation order.
 * @returns The node's index, or null when no node holds the topic.
 *
 * @example Usage
 * ```ts
 * import { holderOf } from "./reference_tree.ts";
 * import assert from "node:assert/strict";
 *
 * const node = (name: string, content: string[]) => ({
 *   name, summary: "", content, parent: null, relationship: null,
 * });
 * const tree = [node("Launch", ["April launch date"]), node("Budget", ["marketing budget"])];
 * assert.equal(holderOf({ topic: "Marketing", terms: ["marketing", "budget"], parent: null }, tree), 1);
 * assert.equal(holderOf({ topic: "Refunds", terms: ["refund", "tests"], parent: null }, tree), null);
 * ```
 */
export function holderOf(topic: ReferenceTopic, tree: readonly TreeNode[]): number | null {
  let best: { index: number; found: number; size: number } | null = null;
  tree.forEach((node, index) => {
    const text = nodeText(node);
    const { found, enough } = termsFound(topic, text);
    if (!enough) return;
    // The most terms wins; between equals, the node that says least besides (the most specific:
    // an agenda that names every topic holds none of them).
    const size = contentWords(text).length;
    if (best === null || found > best.found || (found === best.found && size < best.size)) {
      best = { index, found, size };
    }
  });
  return (best as { index: number } | null)?.index ?? null;
}

/**
 * Whether node `ancestor` is `node` itself or above it in the tree (following parents by name).
 *
 * @param tree The tree's nodes.
 * @param ancestor The index of the possible ancestor.
 * @param node The index of the node.
 * @returns True when it is.
 *
 * @example Usage
 * ```ts
 * import { isAtOrAbove } from "./reference_tree.ts";
 * import assert from "node:assert/strict";
 *
 * const tree = [
 *   { name: "A", summary: "", content: [], parent: null, relationship: null },
 *   { name: "B", summary: "", content: [], parent: "A", relationship: "explains" },
 * ];
 * assert.equal(isAtOrAbove(tree, 0, 1), true);
 * assert.equal(isAtOrAbove(tree, 1, 0), false);
 * ```
 */
export function isAtOrAbove(tree: readonly TreeNode[], ancestor: number, node: number): boolean {
  const indexByName = new Map(tree.map((n, index) => [n.name, index]));
  let current: number | undefined = node;
  for (let steps = 0; current !== undefined && steps <= tree.length; steps++) {
    if (current === ancestor) return true;
    const parent: string | null = tree[current].parent;
    current = parent === null ? undefined : indexByName.get(parent);
  }
  return false;
}
