/**
 * The tree the reference workload grows from a transcript: nodes with a name, a one-line summary,
 * content bullets and an edge to a parent. Pure functions: summarize it for a prompt, apply a
 * window's integration decisions to it.
 *
 * @module
 */
import type { IntegrationDecision } from "./schemas.ts";

/** One node of the tree. Names are unique within a tree. */
export interface TreeNode {
  /** The node's name (its key). */
  name: string;
  /** One line on what the node is about. */
  summary: string;
  /** The content bullets gathered for the node, oldest first. */
  content: string[];
  /** The parent's name, or null for a root. */
  parent: string | null;
  /** The label of the edge from the parent, or null. */
  relationship: string | null;
}

/** What applying a window's decisions did. */
export interface AppliedDecisions {
  /** The tree after the decisions (a new array; nodes that changed are new objects). */
  tree: TreeNode[];
  /** Names of the nodes created, in order. */
  created: string[];
  /** Names of the nodes appended to, in order (repeats kept). */
  appended: string[];
}

/** The line a tree summary shows when the tree has no nodes. */
export const EMPTY_TREE_SUMMARY = "(no nodes yet)";

/**
 * Renders the tree as the text summary the prompts carry: one line per node, in creation order,
 * `- <name> | <summary> | parent: <parent or none>[ (<relationship>)]`. New nodes only add lines
 * at the end, so the summary of a growing tree keeps its prefix (which prompt caching rewards).
 *
 * @param tree The nodes, in creation order.
 * @returns The summary, or {@linkcode EMPTY_TREE_SUMMARY}.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { summarizeTree } from "./tree.ts";
 *
 * const tree = [
 *   { name: "Launch", summary: "The May launch.", content: [], parent: null, relationship: null },
 *   { name: "Budget", summary: "Costs.", content: [], parent: "Launch", relationship: "part of" },
 * ];
 * strictEqual(
 *   summarizeTree(tree),
 *   "- Launch | The May launch. | parent: none\n- Budget | Costs. | parent: Launch (part of)",
 * );
 * ```
 */
export function summarizeTree(tree: readonly TreeNode[]): string {
  if (tree.length === 0) return EMPTY_TREE_SUMMARY;
  return tree.map((node) => {
    const edge = node.parent === null
      ? "none"
      : node.relationship
      ? `${node.parent} (${node.relationship})`
      : node.parent;
    return `- ${node.name} | ${node.summary} | parent: ${edge}`;
  }).join("\n");
}

/**
 * Splits an answer's `content` into bullets: one per non-empty line, a leading `-`, `*` or `•`
 * dropped.
 *
 * @param content The content as the model wrote it.
 * @returns The bullets.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { contentBullets } from "./tree.ts";
 *
 * deepStrictEqual(contentBullets("- one\n\n* two\nthree"), ["one", "two", "three"]);
 * ```
 */
export function contentBullets(content: string): string[] {
  return content.split("\n")
    .map((line) => line.trim().replace(/^[-*•]\s*/, "").trim())
    .filter((line) => line.length > 0);
}

/**
 * Applies integration decisions to a tree. CREATE adds a node under `target_node` (a root when
 * that is null or unknown); a CREATE whose name already exists appends to that node instead.
 * APPEND adds bullets to `target_node`; an APPEND to an unknown node creates it as a root.
 *
 * @param tree The tree before.
 * @param decisions The window's decisions, applied in order.
 * @returns The new tree and which nodes were created and appended to.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { applyDecisions } from "./tree.ts";
 *
 * const result = applyDecisions([], [
 *   {
 *     action: "CREATE", target_node: null, new_node_name: "Launch", new_node_summary: "May.",
 *     relationship_for_edge: null, content: "- ship in May",
 *   },
 *   {
 *     action: "APPEND", target_node: "Launch", new_node_name: null, new_node_summary: null,
 *     relationship_for_edge: null, content: "- beta first",
 *   },
 * ]);
 * deepStrictEqual(result.created, ["Launch"]);
 * deepStrictEqual(result.appended, ["Launch"]);
 * deepStrictEqual(result.tree[0].content, ["ship in May", "beta first"]);
 * ```
 */
export function applyDecisions(
  tree: readonly TreeNode[],
  decisions: readonly IntegrationDecision[],
): AppliedDecisions {
  const nodes = [...tree];
  const indexByName = new Map(nodes.map((node, index) => [node.name, index]));
  const created: string[] = [];
  const appended: string[] = [];
  const append = (name: string, bullets: string[]): void => {
    const index = indexByName.get(name)!;
    nodes[index] = { ...nodes[index], content: [...nodes[index].content, ...bullets] };
    appended.push(name);
  };
  for (const decision of decisions) {
    const bullets = contentBullets(decision.content);
    const target = decision.target_node?.trim() || null;
    if (decision.action === "APPEND" && target !== null && indexByName.has(target)) {
      append(target, bullets);
      continue;
    }
    const name = (decision.action === "CREATE" ? decision.new_node_name?.trim() : target) ||
      decision.new_node_name?.trim() || `Untitled ${nodes.length + 1}`;
    if (indexByName.has(name)) {
      append(name, bullets);
      continue;
    }
    const parent = decision.action === "CREATE" && target !== null && indexByName.has(target)
      ? target
      : null;
    indexByName.set(name, nodes.length);
    nodes.push({
      name,
      summary: decision.new_node_summary?.trim() || bullets[0] || name,
      content: bullets,
      parent,
      relationship: parent === null ? null : decision.relationship_for_edge?.trim() || null,
    });
    created.push(name);
  }
  return { tree: nodes, created, appended };
}
