/**
 * A four-stage LangGraph graph whose every stage's model comes from `configurable` (four real
 * OpenAI models, priced by the catalog), with known, noisy per-stage quality and cost, so that the
 * true quality–cost frontier of its 256 configurations can be computed exactly.
 *
 * - Quality: stage `s` answered by model `v` on input `i` scores
 *   `clip(MU[s][v] − difficulty[i][s] + 0.03·η)`, η drawn from {−2, −1, 0, 1, 2} per input,
 *   repeat, stage and model (a model's own randomness); a run's `accuracy` is the product of its
 *   stages' scores (each stage must do its part). Within a stage, a model is either as good as
 *   another or at least 0.05 better.
 * - Cost: each stage's call reads `BASE_TOKENS[s] + length[i]` tokens and writes
 *   `OUTPUT_TOKENS[s]·VERBOSITY[v] + j` tokens, j drawn from −20..20: priced at the model's
 *   catalog rates by the handler, exactly as the truth prices them.
 */
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { BaseChatModel, type LangSmithParams } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import type { RunnableConfig } from "@langchain/core/runnables";
import { estimateCost } from "../../pricing/estimate.ts";
import { ZERO_TOKEN_USAGE } from "../../pricing/token_usage.ts";

/** The stages, in order. */
export const STAGES = ["retrieve", "analyse", "draft", "check"] as const;
/** The candidate models of every stage, cheapest first. */
export const MODELS = ["gpt-4.1-nano", "gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1"] as const;
/** Stage quality by model: equal, or at least 0.05 apart. */
export const MU: readonly (readonly number[])[] = [
  [0.85, 0.85, 0.97, 0.97],
  [0.70, 0.80, 0.90, 0.98],
  [0.82, 0.82, 0.92, 1.0],
  [0.88, 0.96, 0.96, 0.96],
];
/** The run-to-run noise of a stage's score, per step of η. */
export const SIGMA = 0.03;
const ETA = [-2, -1, 0, 1, 2];
const BASE_TOKENS = [500, 800, 600, 300];
const OUTPUT_TOKENS = [100, 300, 150, 200];
const VERBOSITY = [1.0, 1.1, 1.2, 1.3];

/** One input: its id, each stage's difficulty and its length in tokens. */
export interface KnownInput {
  id: string;
  difficulty: number[];
  length: number;
}

/** A draw in [0, 1) from integers and a seed (FNV-1a over them, then mixed). */
export function draw(seed: number, ...values: number[]): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const value of values) {
    h = Math.imul(h ^ value, 0x01000193) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d) >>> 0;
    h ^= h >>> 12;
  }
  return (h >>> 0) / 4294967296;
}

/** The inputs of a seed: each stage's difficulty in [0, 0.2), a length of 200 to 2,000 tokens. */
export function knownInputs(count: number, seed: number): KnownInput[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `input-${String(i).padStart(3, "0")}`,
    difficulty: STAGES.map((_, s) => 0.2 * draw(seed, 7, i, s)),
    length: 200 + Math.floor(1800 * draw(seed, 8, i)),
  }));
}

const clip = (z: number) => Math.min(1, Math.max(0, z));

function stageScore(v: number, s: number, input: KnownInput, eta: number): number {
  return clip(MU[s][v] - input.difficulty[s] + SIGMA * eta);
}

function callCost(v: number, inputTokens: number, outputTokens: number): number {
  const usage = { ...ZERO_TOKEN_USAGE, inputTokens, outputTokens };
  return estimateCost(usage, MODELS[v], { provider: "openai" }).costUsd!;
}

/** The true mean accuracy and cost per run of a configuration (model index per stage). */
export function truth(
  choices: readonly number[],
  inputs: readonly KnownInput[],
): { accuracy: number; costUsd: number } {
  let accuracy = 0;
  let costUsd = 0;
  for (const input of inputs) {
    let product = 1;
    STAGES.forEach((_, s) => {
      const v = choices[s];
      product *= ETA.reduce((sum, eta) => sum + stageScore(v, s, input, eta), 0) / ETA.length;
      const inputTokens = BASE_TOKENS[s] + input.length;
      let stageCost = 0;
      for (let j = -20; j <= 20; j++) {
        stageCost += callCost(v, inputTokens, OUTPUT_TOKENS[s] * VERBOSITY[v] + j);
      }
      costUsd += stageCost / 41;
    });
    accuracy += product;
  }
  return { accuracy: accuracy / inputs.length, costUsd: costUsd / inputs.length };
}

/** What stage `s` answered by model `v` gives on one run: its score and tokens (as above). */
export function stageRun(
  v: number,
  s: number,
  input: KnownInput,
  index: number,
  repeat: number,
  seed: number,
): { score: number; inputTokens: number; outputTokens: number } {
  const eta = ETA[Math.floor(draw(seed, 1, index, repeat, s, v) * ETA.length)];
  const j = Math.floor(draw(seed, 2, index, repeat, s, v) * 41) - 20;
  return {
    score: stageScore(v, s, input, eta),
    inputTokens: BASE_TOKENS[s] + input.length,
    outputTokens: OUTPUT_TOKENS[s] * VERBOSITY[v] + j,
  };
}

/** A whole run's accuracy and cost, as the graph, its handler and its evaluator measure them. */
export function knownRun(
  choices: readonly number[],
  input: KnownInput,
  index: number,
  repeat: number,
  seed: number,
): { accuracy: number; costUsd: number } {
  let accuracy = 1;
  let costUsd = 0;
  STAGES.forEach((_, s) => {
    const run = stageRun(choices[s], s, input, index, repeat, seed);
    accuracy *= run.score;
    costUsd += callCost(choices[s], run.inputTokens, run.outputTokens);
  });
  return { accuracy, costUsd };
}

/** The chat model of one candidate: answers a stage's prompt with its score, tokens as above. */
class KnownQualityModel extends BaseChatModel {
  constructor(readonly v: number, readonly seed: number) {
    super({});
  }
  _llmType(): string {
    return "known-quality";
  }
  override getLsParams(options: this["ParsedCallOptions"]): LangSmithParams {
    return { ...super.getLsParams(options), ls_provider: "openai", ls_model_name: MODELS[this.v] };
  }
  _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const ask = JSON.parse(String(messages.at(-1)!.content)) as {
      stage: number;
      index: number;
      repeat: number;
      input: KnownInput;
    };
    const { stage: s, index: i, repeat: r, input } = ask;
    const { score, inputTokens, outputTokens } = stageRun(this.v, s, input, i, r, this.seed);
    const message = new AIMessage({
      content: JSON.stringify({ score }),
      usage_metadata: {
        input_tokens: inputTokens,
        output_tokens: outputTokens,
        total_tokens: inputTokens + outputTokens,
      },
      response_metadata: { model_name: MODELS[this.v] },
    });
    return Promise.resolve({ generations: [{ text: String(message.content), message }] });
  }
}

const State = Annotation.Root({
  input: Annotation<KnownInput>({
    reducer: (_a, b) => b,
    default: () => ({ id: "", difficulty: [], length: 0 }),
  }),
  scores: Annotation<number[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
});

/**
 * The graph: `retrieve -> analyse -> draft -> check`, each stage asking the model
 * `configurable[stage]` names (`gpt-4.1-mini` unless told), once.
 *
 * @param seed The seed of the models' draws.
 * @param indexOf The index of an input id (its draws' coordinate).
 */
export function knownQualityGraph(seed: number, indexOf: (id: string) => number) {
  const models = MODELS.map((_, v) => new KnownQualityModel(v, seed));
  const node = (s: number) => async (state: typeof State.State, config?: RunnableConfig) => {
    const name = (config?.configurable?.[STAGES[s]] as string | undefined) ?? "gpt-4.1-mini";
    const v = MODELS.indexOf(name as typeof MODELS[number]);
    if (v < 0) throw new Error(`unknown model ${name}`);
    const repeat = Number(config?.metadata?.graphmeter_repeat ?? 0);
    const ask = { stage: s, index: indexOf(state.input.id), repeat, input: state.input };
    const answer = await models[v].invoke(JSON.stringify(ask), config);
    return { scores: [JSON.parse(String(answer.content)).score as number] };
  };
  return new StateGraph(State)
    .addNode(STAGES[0], node(0))
    .addNode(STAGES[1], node(1))
    .addNode(STAGES[2], node(2))
    .addNode(STAGES[3], node(3))
    .addEdge(START, STAGES[0])
    .addEdge(STAGES[0], STAGES[1])
    .addEdge(STAGES[1], STAGES[2])
    .addEdge(STAGES[2], STAGES[3])
    .addEdge(STAGES[3], END)
    .compile();
}

/** The evaluator: a run's accuracy is the product of its stages' scores. */
export function accuracy({ outputs }: { outputs: unknown }): { key: string; score: number } {
  const scores = (outputs as { scores: number[] }).scores;
  return { key: "accuracy", score: scores.reduce((product, score) => product * score, 1) };
}
