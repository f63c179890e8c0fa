/**
 * An LLM-as-judge from the real `openevals` package, its judge a `ChatOpenAI` pointed at a
 * loopback OpenAI server (Chat Completions wire format) that grades each request: `true` when
 * the run's outputs contain the reference outputs' answer. Every judge call reports the same
 * usage, so its cost is exact.
 */
import { createLLMAsJudge } from "openevals";
import { ChatOpenAI } from "@langchain/openai";
import { chatUsage, startOpenAIServer } from "../fixtures/openai_server.ts";
import type { ScriptedServer } from "../fixtures/scripted_server.ts";
import type { Evaluator } from "../../evaluate/evaluator.ts";

/** Input and output tokens of every judge call. */
export const JUDGE_USAGE = { input: 300, output: 40 } as const;
/** The model the judge's server answers as. */
export const JUDGE_MODEL = "gpt-4.1-mini-2025-04-14";

/** The grading prompt (openevals fills `{inputs}`, `{outputs}`, `{reference_outputs}`). */
export const JUDGE_PROMPT =
  "Question: {inputs}\nAnswer: {outputs}\nReference: {reference_outputs}\n" +
  "Is the answer correct?";

/** The text of a Chat Completions request's messages. */
function promptOf(body: Record<string, unknown> | null): string {
  const messages = (body?.messages ?? []) as { content: unknown }[];
  return messages.map((m) => typeof m.content === "string" ? m.content : JSON.stringify(m.content))
    .join("\n");
}

/**
 * Starts the judge's server: it grades each request `true` when the answer holds the
 * reference's, with {@linkcode JUDGE_USAGE} as every call's usage.
 *
 * @returns The server (close it when done).
 */
export function startJudgeServer(): ScriptedServer {
  return startOpenAIServer((request) => {
    const text = promptOf(request.body);
    const reference = /Reference: \{"answer":"([^"]*)"\}/.exec(text)?.[1] ?? null;
    const answer = /Answer: (.*)/.exec(text)?.[1] ?? "";
    const correct = reference !== null && answer.includes(reference);
    return {
      model: JUDGE_MODEL,
      text: JSON.stringify({
        reasoning: `The answer ${correct ? "matches" : "does not match"} the reference. ` +
          `Thus, the score should be: ${correct}.`,
        score: correct,
      }),
      usage: chatUsage(JUDGE_USAGE.input, JUDGE_USAGE.output),
    };
  });
}

/**
 * The openevals LLM-as-judge of a judge server.
 *
 * @param origin The server's origin (`http://127.0.0.1:<port>`).
 * @param feedbackKey The key the judge scores.
 * @returns The evaluator, as `createLLMAsJudge` made it.
 */
export function judgeEvaluator(origin: string, feedbackKey = "correctness"): Evaluator {
  const model = new ChatOpenAI({
    model: "gpt-4.1-mini",
    apiKey: "test-key",
    maxRetries: 0,
    configuration: { baseURL: `${origin}/v1` },
  });
  return createLLMAsJudge({ prompt: JUDGE_PROMPT, judge: model, feedbackKey });
}

/**
 * Starts the judge's server and makes the evaluator.
 *
 * @param feedbackKey The key the judge scores.
 * @returns The evaluator and its server (close it when done).
 */
export function startJudge(
  feedbackKey = "correctness",
): { judge: Evaluator; server: ScriptedServer } {
  const server = startJudgeServer();
  return { judge: judgeEvaluator(server.origin, feedbackKey), server };
}
