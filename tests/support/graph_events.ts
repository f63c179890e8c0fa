/**
 * LangGraph's callbacks, replayed on a handler at chosen times: a root graph run, node executions
 * at any depth with the metadata LangGraph gives them (`langgraph_node`, and a checkpoint
 * namespace of their own: `outer:<id>|inner:<id>`), runs inside a node (which inherit it), chat
 * model calls and tool runs. For exact figures on a fake clock; the real thing is proven through
 * LangGraph itself (`paths_supervisor_test.ts`).
 */
import type { Serialized } from "@langchain/core/load/serializable";
import type { LLMResult } from "@langchain/core/outputs";
import type { PerformanceCallbackHandler } from "../../telemetry/handler.ts";

const MODEL: Serialized = {
  lc: 1,
  type: "not_implemented",
  id: ["langchain", "chat_models", "openai", "ChatOpenAI"],
};
const TOOL: Serialized = { lc: 1, type: "not_implemented", id: ["langchain", "tools", "tool"] };

/** An answer with usage, in LangChain's shape. */
function answer(input: number, output: number): LLMResult {
  return {
    generations: [[
      {
        text: "ok",
        message: {
          usage_metadata: {
            input_tokens: input,
            output_tokens: output,
            total_tokens: input + output,
          },
          response_metadata: { model_name: "gpt-4o-mini-2024-07-18" },
        },
      } as unknown as LLMResult["generations"][0][0],
    ]],
  };
}

/** A handler driven by hand, at times set on its clock. */
export class GraphEvents {
  /** The clock the handler reads, ms. */
  now = 0;
  #ids = 0;
  readonly #namespaces = new Map<string, string>();

  /** @param handler A handler made with `clock: () => events.now`. */
  constructor(readonly handler: PerformanceCallbackHandler) {}

  #id(prefix: string): string {
    return `${prefix}${++this.#ids}`;
  }

  /** Starts the root graph run at `at`; returns its run id. */
  root(at: number): string {
    this.now = at;
    const id = this.#id("root");
    this.handler.handleChainStart(MODEL, {}, id, undefined, [], {}, undefined, "LangGraph");
    this.#namespaces.set(id, "");
    return id;
  }

  /**
   * Starts an execution of node `name` under `parent` (the root, a node execution, or a run
   * inside one) at `at`: its namespace extends the enclosing one, as LangGraph's tasks do.
   */
  node(parent: string, name: string, at: number): string {
    this.now = at;
    const id = this.#id(name);
    const outer = this.#namespaces.get(parent) ?? "";
    const namespace = `${outer === "" ? "" : `${outer}|`}${name}:${id}`;
    this.#namespaces.set(id, namespace);
    const metadata = { langgraph_node: name, langgraph_checkpoint_ns: namespace };
    this.handler.handleChainStart(
      MODEL,
      {},
      id,
      parent,
      ["graph:step:1"],
      metadata,
      undefined,
      name,
    );
    return id;
  }

  /** Starts a run inside a node (a runnable, a subgraph's graph run): it inherits the metadata. */
  inner(parent: string, at: number): string {
    this.now = at;
    const id = this.#id("inner");
    const namespace = this.#namespaces.get(parent) ?? "";
    this.#namespaces.set(id, namespace);
    const node = namespace.split("|").pop()?.split(":")[0];
    const metadata = node ? { langgraph_node: node, langgraph_checkpoint_ns: namespace } : {};
    this.handler.handleChainStart(MODEL, {}, id, parent, [], metadata, undefined, "RunnableLambda");
    return id;
  }

  /** Ends a chain run at `at` (with an error when `error` is given). */
  end(id: string, at: number, error?: string): void {
    this.now = at;
    if (error === undefined) this.handler.handleChainEnd({}, id);
    else this.handler.handleChainError(new Error(error), id);
  }

  /** A chat model call under `parent` from `from` to `to`, answering with this usage. */
  call(parent: string, from: number, to: number, input: number, output: number): string {
    const id = this.#id("call");
    this.now = from;
    this.handler.handleChatModelStart(
      MODEL,
      [[]],
      id,
      parent,
      {
        invocation_params: { model: "gpt-4o-mini" },
      },
      [],
      { ls_provider: "openai" },
    );
    this.now = to;
    this.handler.handleLLMEnd(answer(input, output), id);
    return id;
  }

  /** Starts a tool run of `name` under `parent` at `at`; returns its run id. */
  toolStart(parent: string, name: string, at: number): string {
    this.now = at;
    const id = this.#id("tool");
    this.handler.handleToolStart(TOOL, "{}", id, parent, [], {}, name);
    return id;
  }

  /** Ends a tool run at `at` (failed when `error` is given). */
  toolEnd(id: string, at: number, error?: string): void {
    this.now = at;
    if (error === undefined) this.handler.handleToolEnd("done", id);
    else this.handler.handleToolError(new Error(error), id);
  }
}
