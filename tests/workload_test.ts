import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import {
  buildTranscriptTreeGraph,
  buildTranscriptTreeInput,
  type LlmStage,
  loadTranscripts,
  modelsForAllStages,
  SimulatedChatModel,
  splitTranscript,
  TRANSCRIPT_IDS,
  treeQuality,
} from "../workload/mod.ts";
import { recursionLimitFor } from "../workload/transcript_tree_graph.ts";
import { detectStage, readSection } from "../workload/prompts/sections.ts";

/** A chat model that answers each stage with a scripted function and records every prompt. */
class ScriptedChatModel extends BaseChatModel {
  readonly prompts: { stage: LlmStage; text: string }[] = [];
  readonly #answer: (stage: LlmStage, prompt: string) => string;

  constructor(answer: (stage: LlmStage, prompt: string) => string) {
    super({});
    this.#answer = answer;
  }

  _llmType(): string {
    return "scripted";
  }

  _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const text = messages.map((message) => message.text).join("\n\n");
    const stage = detectStage(text)!;
    this.prompts.push({ stage, text });
    const content = this.#answer(stage, text);
    return Promise.resolve({ generations: [{ text: content, message: new AIMessage(content) }] });
  }
}

const chunk = (name: string, text: string, complete = true) => ({
  name,
  text,
  is_complete: complete,
});

/** Answers relationship and integration for whatever chunks came in: each becomes a root node. */
function createEverything(stage: LlmStage, prompt: string): string {
  if (stage === "relationship_analysis") {
    const { chunks } = JSON.parse(readSection(prompt, "chunks_json")!);
    return JSON.stringify({
      analyses: chunks.map((c: { name: string; text: string }) => ({
        name: c.name,
        text: c.text,
        reasoning: "new topic",
        relevant_node_name: "NO_RELEVANT_NODE",
        relationship: null,
      })),
    });
  }
  const { analyses } = JSON.parse(readSection(prompt, "analysis_json")!);
  return JSON.stringify({
    decisions: analyses.map((a: { name: string; text: string }) => ({
      action: "CREATE",
      target_node: null,
      new_node_name: a.name,
      new_node_summary: a.text,
      relationship_for_edge: null,
      content: `- ${a.text}`,
    })),
  });
}

Deno.test("splitTranscript", async (t) => {
  const transcripts = await loadTranscripts();

  await t.step("cuts every window at a sentence end, within the target size", () => {
    for (const { text } of transcripts) {
      for (const window of splitTranscript(text)) {
        match(window, /[.!?]["')\]]*$/);
        ok(window.length <= 300, `window of ${window.length} chars`);
      }
    }
  });

  await t.step("loses nothing: the windows joined equal the text modulo whitespace", () => {
    for (const { text } of transcripts) {
      strictEqual(splitTranscript(text).join(" "), text.replace(/\s+/g, " ").trim());
    }
  });

  await t.step("gives exact windows for a small text", () => {
    deepStrictEqual(splitTranscript("A one. B two? C three! D four.", 14), [
      "A one. B two?",
      "C three!",
      "D four.",
    ]);
    deepStrictEqual(splitTranscript("   "), []);
  });
});

Deno.test("loadTranscripts returns every bundled transcript, 300 to 4,000 words each", async () => {
  const transcripts = await loadTranscripts();
  deepStrictEqual(transcripts.map((t) => t.id), [...TRANSCRIPT_IDS]);
  ok(transcripts.length >= 6);
  for (const transcript of transcripts) {
    ok(
      transcript.words >= 300 && transcript.words <= 4000,
      `${transcript.id}: ${transcript.words}`,
    );
  }
});

Deno.test("the graph", async (t) => {
  const windows = [
    "We ship the beta on Friday. The budget is forty thousand and",
    "half of it goes to ads. Um, okay.",
    "Dana owns the migration.",
  ];
  const input = { transcriptId: "short", windows };

  await t.step("carries an incomplete chunk into the next window", async () => {
    const model = new ScriptedChatModel((stage, prompt) => {
      if (stage !== "segmentation") return createEverything(stage, prompt);
      const window = readSection(prompt, "window")!;
      if (window.startsWith("We ship")) {
        return JSON.stringify({
          chunks: [
            chunk("Beta date", "We ship the beta on Friday."),
            chunk("Budget", "The budget is forty thousand and", false),
          ],
        });
      }
      const carried = readSection(prompt, "carried_text")!;
      const text = carried === "(none)" ? window : `${carried} ${window}`;
      return JSON.stringify({ chunks: [chunk(window.split(" ").slice(0, 2).join(" "), text)] });
    });
    const output = await buildTranscriptTreeGraph(modelsForAllStages(model)).invoke(input);
    const segmentation = model.prompts.filter((p) => p.stage === "segmentation");
    strictEqual(
      readSection(segmentation[1].text, "carried_text"),
      "The budget is forty thousand and",
    );
    strictEqual(readSection(segmentation[2].text, "carried_text"), "(none)");
    deepStrictEqual(output.tree.map((node) => node.name), [
      "Beta date",
      "half of",
      "Dana owns",
    ]);
    strictEqual(
      output.tree[1].summary,
      "The budget is forty thousand and half of it goes to ads. Um, okay.",
    );
    deepStrictEqual(output.chunksPerWindow, [1, 1, 1]);
    strictEqual(output.windowIndex, 3);
  });

  await t.step("ends a window right after segmentation when it yields nothing", async () => {
    const model = new ScriptedChatModel((stage, prompt) => {
      if (stage !== "segmentation") return createEverything(stage, prompt);
      const window = readSection(prompt, "window")!;
      return JSON.stringify({
        chunks: window.startsWith("half") ? [] : [chunk(window.slice(0, 6), window)],
      });
    });
    const output = await buildTranscriptTreeGraph(modelsForAllStages(model)).invoke(input);
    deepStrictEqual(model.prompts.map((p) => p.stage), [
      "segmentation",
      "relationship_analysis",
      "integration_decision",
      "segmentation",
      "segmentation",
      "relationship_analysis",
      "integration_decision",
    ]);
    strictEqual(output.windowsEndedEarly, 1);
    deepStrictEqual(output.chunksPerWindow, [1, 0, 1]);
    strictEqual(output.nodesCreated, 2);
  });

  await t.step("records an invalid answer and goes on with the next window", async () => {
    let analyses = 0;
    const model = new ScriptedChatModel((stage, prompt) => {
      if (stage === "segmentation") {
        const window = readSection(prompt, "window")!;
        return JSON.stringify({ chunks: [chunk(window.slice(0, 6), window)] });
      }
      if (stage === "relationship_analysis" && analyses++ === 0) return '{"analyses": [{"name": 1}';
      if (stage === "integration_decision" && prompt.includes("Dana")) {
        return JSON.stringify({ decisions: [{ action: "MERGE" }] });
      }
      return createEverything(stage, prompt);
    });
    const output = await buildTranscriptTreeGraph(modelsForAllStages(model)).invoke(input);
    strictEqual(output.invalidOutputs.length, 2);
    strictEqual(output.invalidOutputs[0].stage, "relationship_analysis");
    strictEqual(output.invalidOutputs[0].windowIndex, 0);
    match(output.invalidOutputs[0].error, /^not JSON/);
    strictEqual(output.invalidOutputs[1].stage, "integration_decision");
    strictEqual(output.invalidOutputs[1].windowIndex, 2);
    match(output.invalidOutputs[1].error, /^unexpected shape at decisions\.0\.action/);
    deepStrictEqual(output.tree.map((node) => node.name), ["half o"]);
    strictEqual(output.windowsEndedEarly, 2);
    strictEqual(treeQuality(output).invalidOutputs, 2);
  });

  await t.step("node_extraction makes no LLM call and lists the window's new nodes", async () => {
    const calls: string[] = [];
    const nodes: string[] = [];
    const model = new SimulatedChatModel({ timeScale: 0, incompleteChunkRate: 0 });
    const output = await buildTranscriptTreeGraph(modelsForAllStages(model)).invoke(input, {
      callbacks: [{
        handleChatModelStart(_llm, _messages, _runId, _parent, _extra, _tags, metadata) {
          calls.push(String(metadata?.langgraph_node));
        },
        handleChainStart(_chain, _inputs, _runId, _parent, _tags, metadata) {
          if (metadata?.langgraph_node) nodes.push(String(metadata.langgraph_node));
        },
      }],
    });
    await awaitAllCallbacks(); // plain-object callbacks run in the background
    ok(nodes.includes("node_extraction"));
    strictEqual(calls.filter((node) => node === "node_extraction").length, 0);
    deepStrictEqual(
      [...new Set(calls)].sort(),
      ["integration_decision", "relationship_analysis", "segmentation"],
    );
    ok(calls.length > 0);
    deepStrictEqual(
      output.newNodes,
      output.decisions.filter((d) => d.action === "CREATE").map((d) => d.new_node_name),
    );
  });

  await t.step("runs a long transcript within the compiled recursion limit", async () => {
    const model = new ScriptedChatModel(() => '{"chunks": []}');
    const long = {
      transcriptId: "long",
      windows: Array.from({ length: 60 }, (_, i) => `Point ${i}.`),
    };
    ok(recursionLimitFor(60) > 25);
    const output = await buildTranscriptTreeGraph(modelsForAllStages(model)).invoke(long);
    strictEqual(output.windowIndex, 60);
    strictEqual(model.prompts.length, 60);
  });

  await t.step("ends at once for an empty transcript", async () => {
    const model = new ScriptedChatModel(() => "{}");
    const output = await buildTranscriptTreeGraph(modelsForAllStages(model)).invoke(
      buildTranscriptTreeInput("", { id: "empty" }),
    );
    strictEqual(model.prompts.length, 0);
    strictEqual(treeQuality(output).windows, 0);
  });
});

Deno.test("the graph with the simulated model", async (t) => {
  const [standup] = await loadTranscripts(["standup"]);
  const input = buildTranscriptTreeInput(standup.text, { id: standup.id });

  await t.step("grows a tree that covers most of the transcript", async () => {
    const model = new SimulatedChatModel({ timeScale: 0 });
    const output = await buildTranscriptTreeGraph(modelsForAllStages(model)).invoke(input);
    const quality = treeQuality(output);
    strictEqual(quality.windows, input.windows.length);
    strictEqual(quality.invalidOutputs, 0);
    strictEqual(quality.nodesCreated, output.tree.length);
    ok(quality.nodesCreated > 5);
    ok(quality.nodesAppended > 0);
    ok(quality.transcriptWordsCoveredShare > 0.8 && quality.transcriptWordsCoveredShare <= 1);
    ok(output.tree.some((node) => node.parent !== null));
  });

  await t.step("records malformed answers as invalid outputs, never crashing", async () => {
    const model = new SimulatedChatModel({ timeScale: 0, malformedRate: 1 });
    const output = await buildTranscriptTreeGraph(modelsForAllStages(model)).invoke(input);
    const quality = treeQuality(output);
    strictEqual(quality.invalidOutputs, input.windows.length);
    strictEqual(quality.windowsEndedEarly, input.windows.length);
    strictEqual(quality.nodesCreated, 0);
    ok(output.invalidOutputs.every((invalid) => invalid.stage === "segmentation"));
  });

  await t.step("is deterministic for a seed", async () => {
    const run = async () => {
      const model = new SimulatedChatModel({ timeScale: 0, seed: 7 });
      return await buildTranscriptTreeGraph(modelsForAllStages(model)).invoke(input);
    };
    deepStrictEqual(await run(), await run());
  });
});
