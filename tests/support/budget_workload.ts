/**
 * The budget tests' workload: a one-stage LangGraph graph whose node asks the real `ChatOpenAI`
 * (`gpt-4o`, `max_tokens` 200) one question of about 1,000 tokens, answered by a loopback server in
 * OpenAI's wire format with known usage (1,000 prompt and 200 completion tokens), after a pause so
 * concurrent invocations overlap. Prices are gpt-4o's catalog ones ($2.50 in, $10 out per 1M):
 * $0.0045 a call.
 */
import { ChatOpenAI } from "@langchain/openai";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { chatUsage, startOpenAIServer } from "../fixtures/openai_server.ts";
import type { ScriptedServer } from "../fixtures/scripted_server.ts";
import type { PerformanceCallbackHandler } from "../../telemetry/handler.ts";

/** Each call's usage, as the server reports it, and its cost at gpt-4o's catalog prices. */
export const CALL = { promptTokens: 1000, completionTokens: 200, costUsd: 0.0045 } as const;

/** The question: 4,000 ASCII characters, about 1,000 tokens. */
export const QUESTION = "How much will this cost? ".repeat(160);

/** Starts the loopback OpenAI server (each answer after `delayMs`). */
export function startBudgetServer(delayMs = 25): ScriptedServer {
  return startOpenAIServer(() => ({
    model: "gpt-4o-2024-08-06",
    text: "About half a cent.",
    usage: chatUsage(CALL.promptTokens, CALL.completionTokens),
    delayMs,
  }));
}

const State = Annotation.Root({ answer: Annotation<string> });

/** The graph: one stage, `respond`, one `ChatOpenAI` call. */
export function budgetGraph(origin: string) {
  const model = new ChatOpenAI({
    model: "gpt-4o",
    maxTokens: CALL.completionTokens,
    apiKey: "sk-test",
    maxRetries: 0,
    configuration: { baseURL: `${origin}/v1` },
  });
  return new StateGraph(State)
    .addNode("respond", async () => ({ answer: String((await model.invoke(QUESTION)).content) }))
    .addEdge(START, "respond")
    .addEdge("respond", END)
    .compile();
}

/** How a batch of invocations ended. */
export interface BatchOutcome {
  /** Invocations that succeeded. */
  ok: number;
  /** Invocations that failed with a `BudgetExceededError`. */
  stopped: number;
  /** Other errors' messages. */
  otherErrors: string[];
  /** What the handler measured, US dollars. */
  spentUsd: number;
}

/** Invokes the graph `count` times at once for `userId`, all measured by `handler`. */
export async function invokeConcurrently(
  graph: ReturnType<typeof budgetGraph>,
  handler: PerformanceCallbackHandler,
  userId: string,
  count: number,
): Promise<BatchOutcome> {
  const settled = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      graph.invoke({ answer: "" }, {
        callbacks: [handler],
        configurable: { thread_id: `${userId}-conversation-${i}` },
        metadata: { user_id: userId },
      })),
  );
  const errors = settled.flatMap((s) => s.status === "rejected" ? [s.reason as Error] : []);
  const spentUsd = handler.runs
    .filter((run) => run.attributes?.user_id === userId)
    .reduce((sum, run) => sum + (run.totals.costUsd ?? 0), 0);
  return {
    ok: settled.length - errors.length,
    stopped: errors.filter((error) => error?.name === "BudgetExceededError").length,
    otherErrors: errors.filter((error) => error?.name !== "BudgetExceededError")
      .map((error) => String(error?.message ?? error)),
    spentUsd,
  };
}
