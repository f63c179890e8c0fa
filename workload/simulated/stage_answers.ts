/**
 * How the simulated chat model answers each stage of the reference workload: valid JSON of the
 * stage's shape, derived from the data in the prompt (the window's sentences, the tree summary,
 * the previous stage's JSON) with word-overlap heuristics and seeded, content-derived chance.
 *
 * @module
 */
import { detectStage, NONE, readSection, TAGS } from "../prompts/sections.ts";
import {
  type Chunk,
  type ChunkAnalysis,
  type IntegrationDecision,
  NO_RELEVANT_NODE,
  RelationshipAnalysisOutput,
  SegmentationOutput,
} from "../schemas.ts";
import { splitSentences, words } from "../text.ts";
import { hashOf, randomFrom } from "./random.ts";
import { type ListedNode, listedNodes } from "./listed_nodes.ts";
import { misanalyse, misdecide } from "./mistakes.ts";
import {
  isMeaningful,
  overlapScore,
  relationshipLabel,
  sharedWords,
  shortNote,
  topicName,
} from "./topics.ts";

/** The knobs of the simulated model's answers. */
export interface AnswerBehaviour {
  /** The seed of every random draw. */
  seed: number;
  /** Chance that a window's last chunk is judged incomplete and carried on (0 to 1). */
  incompleteChunkRate: number;
  /** Smallest word overlap with a node for a chunk to be related to it (0 to 1). */
  relatedThreshold: number;
  /** Smallest word overlap with the related node for APPEND rather than CREATE (0 to 1). */
  appendThreshold: number;
  /** Chance of a malformed (truncated) answer to any stage (0 to 1). */
  malformedRate: number;
  /**
   * Chance that a relationship is dropped (0 to 1): a chunk related to a node is said to relate
   * to none, a child node is made a root. Default 0.
   */
  dropRelationshipRate?: number;
  /**
   * Chance that a node is misplaced (0 to 1): a chunk is related to, appended to or created
   * under another node than the one it belongs with. Default 0.
   */
  misplaceNodeRate?: number;
}

/** The default answer behaviour: seed 0, no mistakes. */
export const DEFAULT_ANSWER_BEHAVIOUR: AnswerBehaviour = {
  seed: 0,
  incompleteChunkRate: 0.2,
  relatedThreshold: 0.1,
  appendThreshold: 0.2,
  malformedRate: 0,
  dropRelationshipRate: 0,
  misplaceNodeRate: 0,
};

const CONTINUATION = /^(?:and|so|because|but|also|which|then|plus)\b/i;
const ENDS_SENTENCE = /[.!?]["')\]]*$/;

function segment(prompt: string, behaviour: AnswerBehaviour): { chunks: Chunk[] } {
  const carried = readSection(prompt, TAGS.carriedText) ?? NONE;
  const text = `${carried === NONE ? "" : carried} ${readSection(prompt, TAGS.window) ?? ""}`;
  const isFinal = readSection(prompt, TAGS.finalWindow) === "yes";
  const groups: string[][] = [];
  // Filler sentences are dropped; an unfinished last piece is kept, to be carried on.
  const sentences = splitSentences(text).filter((sentence, index, all) =>
    isMeaningful(sentence) || (index === all.length - 1 && !ENDS_SENTENCE.test(sentence))
  );
  for (const sentence of sentences) {
    const current = groups.at(-1);
    const continues = current !== undefined && current.length < 4 &&
      (sharedWords(sentence, current.join(" ")).length > 0 || CONTINUATION.test(sentence) ||
        words(sentence).length < 8);
    if (continues) current.push(sentence);
    else groups.push([sentence]);
  }
  const chunks = groups.map((group) => {
    const chunkText = group.join(" ");
    return { name: topicName(chunkText), text: chunkText, is_complete: true };
  });
  const last = chunks.at(-1);
  if (last !== undefined && !isFinal) {
    const chance = randomFrom(hashOf(behaviour.seed, "incomplete", last.text))();
    last.is_complete = ENDS_SENTENCE.test(last.text) && chance >= behaviour.incompleteChunkRate;
  }
  return { chunks };
}

function parseJsonSection<T>(prompt: string, tag: string, parse: (json: unknown) => T): T | null {
  try {
    return parse(JSON.parse(readSection(prompt, tag) ?? ""));
  } catch {
    return null;
  }
}

function analyse(prompt: string, behaviour: AnswerBehaviour): { analyses: ChunkAnalysis[] } {
  const nodes = listedNodes(prompt);
  const chunks = parseJsonSection(prompt, TAGS.chunksJson, (json) => SegmentationOutput.parse(json))
    ?.chunks ?? [];
  const analyses = chunks.map((chunk): ChunkAnalysis => {
    const chunkText = `${chunk.name} ${chunk.text}`;
    let best: { node: ListedNode; score: number } | null = null;
    for (const node of nodes) {
      const score = overlapScore(chunkText, `${node.name} ${node.summary}`);
      if (best === null || score > best.score) best = { node, score };
    }
    if (best === null || best.score < behaviour.relatedThreshold) {
      return {
        name: chunk.name,
        text: chunk.text,
        reasoning: nodes.length === 0
          ? "The tree is still empty, so this chunk starts a topic of its own."
          : "No existing node shares enough of this chunk's key terms to be its home.",
        relevant_node_name: NO_RELEVANT_NODE,
        relationship: null,
      };
    }
    const shared = sharedWords(chunkText, `${best.node.name} ${best.node.summary}`).slice(0, 4);
    return {
      name: chunk.name,
      text: chunk.text,
      reasoning: `It talks about ${shared.map((word) => `"${word}"`).join(", ")}, ` +
        `which is what "${best.node.name}" is about.`,
      relevant_node_name: best.node.name,
      relationship: relationshipLabel(chunk.text),
    };
  });
  return { analyses };
}

function decide(prompt: string, behaviour: AnswerBehaviour): { decisions: IntegrationDecision[] } {
  const nodes = listedNodes(prompt);
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const analyses = parseJsonSection(
    prompt,
    TAGS.analysisJson,
    (json) => RelationshipAnalysisOutput.parse(json),
  )?.analyses ?? [];
  const decisions = analyses.map((analysis): IntegrationDecision => {
    const sentences = splitSentences(analysis.text);
    const content = sentences.slice(0, 4).map((sentence) => `- ${shortNote(sentence, 16)}`)
      .join("\n");
    const related = byName.get(analysis.relevant_node_name);
    const score = related
      ? overlapScore(`${analysis.name} ${analysis.text}`, `${related.name} ${related.summary}`)
      : 0;
    const target = related && score >= behaviour.appendThreshold
      ? related.name
      : byName.has(analysis.name)
      ? analysis.name
      : null;
    if (target !== null) {
      return {
        action: "APPEND",
        target_node: target,
        new_node_name: null,
        new_node_summary: null,
        relationship_for_edge: null,
        content,
      };
    }
    return {
      action: "CREATE",
      target_node: related?.name ?? null,
      new_node_name: analysis.name,
      new_node_summary: shortNote(sentences[0] ?? analysis.text, 18),
      relationship_for_edge: related ? analysis.relationship ?? "elaborates on" : null,
      content,
    };
  });
  return { decisions };
}

/** What the simulated model answers to one prompt: the answer as written, and as given. */
export interface SimulatedAnswers {
  /** The answer with no mistake (its tokens are what the call reports and bills). */
  clean: string;
  /** The answer given: the clean one with the model's mistakes, possibly truncated. */
  given: string;
}

/**
 * Answers a prompt of the reference workload, with and without the model's mistakes (see
 * {@linkcode simulateAnswer}). Every mistake is drawn from the seed and the prompt alone, so a
 * model with higher rates makes every mistake a model with lower rates makes, and more.
 *
 * @param prompt The prompt's text (all messages, in order).
 * @param behaviour The knobs; defaults {@linkcode DEFAULT_ANSWER_BEHAVIOUR}.
 * @returns The clean answer and the one given.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { segmentationPrompt } from "../prompts/segmentation.ts";
 * import { simulateAnswers } from "./stage_answers.ts";
 *
 * const { system, user } = segmentationPrompt({
 *   window: "The release moves to Friday because QA found a crash.",
 *   carriedText: "",
 *   isFinalWindow: true,
 * });
 * const prompt = `${system}\n\n${user}`;
 * const answers = simulateAnswers(prompt, {
 *   seed: 0, incompleteChunkRate: 0, relatedThreshold: 0.1, appendThreshold: 0.2, malformedRate: 1,
 * });
 * strictEqual(JSON.parse(answers.clean).chunks.length, 1);
 * strictEqual(answers.given, answers.clean.slice(0, Math.floor(answers.clean.length / 2)));
 * ```
 */
export function simulateAnswers(
  prompt: string,
  behaviour: AnswerBehaviour = DEFAULT_ANSWER_BEHAVIOUR,
): SimulatedAnswers {
  const stage = detectStage(prompt);
  if (stage === null) {
    const text = "This is a simulated answer: the prompt belongs to no stage the simulation knows.";
    return { clean: text, given: text };
  }
  let answer: unknown;
  let flawed: unknown;
  if (stage === "segmentation") {
    answer = flawed = segment(prompt, behaviour);
  } else if (stage === "relationship_analysis") {
    const analysed = analyse(prompt, behaviour);
    answer = analysed;
    flawed = misanalyse(analysed, prompt, behaviour);
  } else {
    const decided = decide(prompt, behaviour);
    answer = decided;
    flawed = misdecide(decided, prompt, behaviour);
  }
  const clean = JSON.stringify(answer, null, 2);
  const text = flawed === answer ? clean : JSON.stringify(flawed, null, 2);
  const malformed = randomFrom(hashOf(behaviour.seed, "malformed", prompt))() <
    behaviour.malformedRate;
  return { clean, given: malformed ? text.slice(0, Math.floor(text.length / 2)) : text };
}

/**
 * Answers a prompt of the reference workload as the simulated model would: the stage is found
 * from the prompt's marker, the answer is that stage's JSON (pretty-printed), derived from the
 * prompt's data. With chance `malformedRate` (drawn from the seed and the prompt) the answer is
 * cut in half, as a truncated completion would be; `dropRelationshipRate` and `misplaceNodeRate`
 * make the analyses and decisions wrong at those rates. A prompt of no known stage gets a short
 * plain-text answer.
 *
 * @param prompt The prompt's text (all messages, in order).
 * @param behaviour The knobs; defaults {@linkcode DEFAULT_ANSWER_BEHAVIOUR}.
 * @returns The answer's text.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { segmentationPrompt } from "../prompts/segmentation.ts";
 * import { simulateAnswer } from "./stage_answers.ts";
 *
 * const { system, user } = segmentationPrompt({
 *   window: "Um, okay. The release moves to Friday because QA found a crash.",
 *   carriedText: "",
 *   isFinalWindow: true,
 * });
 * deepStrictEqual(JSON.parse(simulateAnswer(`${system}\n\n${user}`)), {
 *   chunks: [{
 *     name: "Release Moves Friday",
 *     text: "The release moves to Friday because QA found a crash.",
 *     is_complete: true,
 *   }],
 * });
 * ```
 */
export function simulateAnswer(
  prompt: string,
  behaviour: AnswerBehaviour = DEFAULT_ANSWER_BEHAVIOUR,
): string {
  return simulateAnswers(prompt, behaviour).given;
}
