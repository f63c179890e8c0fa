/**
 * The recorder's raw records of node paths (private to telemetry): a node's place in a root
 * run's graph, each execution of a node at any depth, each tool run. One record per distinct path
 * and root, per execution and per tool run; `paths.ts` turns them into metrics.
 *
 * @module
 */

/**
 * A node's place in a root run's graph: its name under its parent node (null for a stage's own
 * node). One record per distinct path and root, made at the path's first execution.
 */
export interface RawPath {
  /** The node's name (`langgraph_node`). */
  readonly name: string;
  /** The node this one runs inside (a subgraph's node's parent is the subgraph's node). */
  readonly parent: RawPath | null;
  /** 1 for a stage (a top-level node), 2 for a node of a stage's subgraph, ... */
  readonly depth: number;
  /** The paths inside this one, by node name; null until the first. */
  children: Map<string, RawPath> | null;
}

/** One execution of a node at any depth: a stage's, or one of a subgraph's nodes inside it. */
export interface RawExecution {
  /** Which node. */
  readonly path: RawPath;
  /** The node execution it runs inside, or null for a stage execution. */
  readonly parent: RawExecution | null;
  /** LangGraph's checkpoint namespace of the task (`outer:<id>|inner:<id>`), if it said. */
  readonly namespace: string | undefined;
  /** Monotonic ms at start. */
  readonly startMs: number;
  /** Monotonic ms at end or error; null while running. */
  endMs: number | null;
  /** It ended with an error. */
  failed: boolean;
}

/** One tool run. */
export interface RawToolRun {
  /** The tool's name (the run's name, as LangChain gives it). */
  readonly name: string;
  /** The node execution it runs in, or null outside any node. */
  readonly execution: RawExecution | null;
  /** The stage it counts toward. */
  readonly stage: string;
  /** Monotonic ms at start. */
  readonly startMs: number;
  /** Monotonic ms at end or error; null while running. */
  endMs: number | null;
  /** It ended with an error. */
  failed: boolean;
}

/**
 * The path of node `name` inside `parent`: one record per distinct path and root, found again by
 * name (a map lookup: constant work on the hot path).
 *
 * @param parent The path of the node it runs inside.
 * @param name The node's name.
 * @returns The path.
 */
export function childPath(parent: RawPath, name: string): RawPath {
  const children = parent.children ??= new Map();
  let path = children.get(name);
  if (path === undefined) {
    path = { name, parent, depth: parent.depth + 1, children: null };
    children.set(name, path);
  }
  return path;
}

/**
 * Whether a chain run inside the execution `enclosing` is a node execution of its own: a
 * subgraph's task has a checkpoint namespace of its own (`outer:<id>|inner:<id>`), while the runs
 * inside a node (its runnables, its model) inherit the node's namespace.
 *
 * @param metadata The chain run's metadata.
 * @param enclosing The node execution it runs inside.
 * @returns True for a nested node execution.
 */
export function isNestedExecution(
  metadata: Record<string, unknown> | undefined,
  enclosing: RawExecution,
): boolean {
  const namespace = metadata?.langgraph_checkpoint_ns;
  return typeof namespace === "string" && namespace !== enclosing.namespace;
}

/**
 * A chain run's checkpoint namespace, if LangGraph gave one.
 *
 * @param metadata The chain run's metadata.
 * @returns The namespace, or undefined.
 */
export function namespaceOf(metadata: Record<string, unknown> | undefined): string | undefined {
  const namespace = metadata?.langgraph_checkpoint_ns;
  return typeof namespace === "string" ? namespace : undefined;
}
