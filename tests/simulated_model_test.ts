import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { deepStrictEqual, notDeepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { Tiktoken } from "js-tiktoken/lite";
import o200k_base from "js-tiktoken/ranks/o200k_base";
import {
  buildTranscriptTreeGraph,
  buildTranscriptTreeInput,
  loadTranscripts,
  modelsForAllStages,
  SimulatedChatModel,
} from "../workload/mod.ts";
import {
  IntegrationDecisionOutput,
  RelationshipAnalysisOutput,
  SegmentationOutput,
} from "../workload/schemas.ts";
import { integrationDecisionPrompt } from "../workload/prompts/integration_decision.ts";
import { relationshipAnalysisPrompt } from "../workload/prompts/relationship_analysis.ts";
import { segmentationPrompt } from "../workload/prompts/segmentation.ts";

const tiktoken = new Tiktoken(o200k_base);
const count = (text: string): number => tiktoken.encode(text).length;

/** About `n` tokens of varied text. */
function longText(n: number): string {
  return Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
}

interface Usage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_token_details?: { cache_read?: number };
  output_token_details?: { reasoning?: number };
}

function usageOf(message: { usage_metadata?: Usage }): Usage {
  ok(message.usage_metadata, "usage_metadata is set");
  return message.usage_metadata;
}

Deno.test("token usage", async (t) => {
  const model = new SimulatedChatModel({ timeScale: 0 });

  await t.step(
    "input tokens are js-tiktoken's count of each message plus chat framing",
    async () => {
      const system = "You are terse. Answer in one word.";
      const human = "What colour is the sky on a clear day?";
      const answer = await model.invoke([new SystemMessage(system), new HumanMessage(human)]);
      const usage = usageOf(answer);
      strictEqual(count(system), 9);
      strictEqual(count(human), 10);
      strictEqual(usage.input_tokens, 9 + 4 + 10 + 4 + 3);
      strictEqual(usage.output_tokens, count(answer.text));
      strictEqual(usage.total_tokens, usage.input_tokens + usage.output_tokens);
      strictEqual(usage.input_token_details?.cache_read, 0);
      strictEqual(usage.output_token_details?.reasoning, 0);
    },
  );

  await t.step("a single word prompt costs 8 input tokens", async () => {
    strictEqual(usageOf(await model.invoke("Hello")).input_tokens, 8);
  });
});

Deno.test("prompt caching", async (t) => {
  await t.step(
    "a repeated prefix of 1,024+ tokens is read from cache in 128-token steps",
    async () => {
      const model = new SimulatedChatModel({ timeScale: 0 });
      const system = longText(1100);
      const systemTokens = count(system);
      ok(systemTokens > 1024);
      const first = usageOf(
        await model.invoke([new SystemMessage(system), new HumanMessage("one")]),
      );
      strictEqual(first.input_token_details?.cache_read, 0);
      const second = usageOf(
        await model.invoke([new SystemMessage(system), new HumanMessage("two")]),
      );
      const shared = 4 + systemTokens + 4; // framing, system text, the human message's framing
      strictEqual(second.input_token_details?.cache_read, Math.floor(shared / 128) * 128);
      strictEqual(second.input_tokens, shared + count("two") + 3);
    },
  );

  await t.step("a shared prefix under 1,024 tokens is not cached", async () => {
    const model = new SimulatedChatModel({ timeScale: 0 });
    const system = longText(400);
    await model.invoke([new SystemMessage(system), new HumanMessage("one")]);
    const again = usageOf(await model.invoke([new SystemMessage(system), new HumanMessage("two")]));
    strictEqual(again.input_token_details?.cache_read, 0);
  });
});

Deno.test("graph runs on one model instance", async (t) => {
  const transcripts = await loadTranscripts(["meeting_notes", "lecture", "standup"]);
  const inputs = transcripts.map((tr) => buildTranscriptTreeInput(tr.text, { id: tr.id }));

  async function runAll(
    model: SimulatedChatModel,
    order: number[],
    concurrent: boolean,
  ): Promise<Usage[][]> {
    const graph = buildTranscriptTreeGraph(modelsForAllStages(model));
    const runOne = async (index: number): Promise<Usage[]> => {
      const usages: Usage[] = [];
      // Inline (awaited) callbacks: a background handler may still be running when invoke
      // resolves, and then the list would be incomplete.
      const collector = BaseCallbackHandler.fromMethods({
        handleLLMEnd(output) {
          const generation = output.generations[0][0] as { message?: { usage_metadata?: Usage } };
          usages.push(usageOf(generation.message!));
        },
      });
      collector.awaitHandlers = true;
      await graph.invoke(inputs[index], { callbacks: [collector] });
      return usages;
    };
    const results: Usage[][] = [];
    if (concurrent) {
      const settled = await Promise.all(order.map(runOne));
      order.forEach((index, i) => results[index] ??= settled[i]);
    } else {
      for (const index of order) results[index] ??= await runOne(index);
    }
    return results;
  }

  const sequential = await runAll(new SimulatedChatModel({ timeScale: 0 }), [0, 1, 2], false);

  await t.step("later windows of a run read the growing prefix from cache", () => {
    const cached = sequential[0].map((usage) => usage.input_token_details?.cache_read ?? 0);
    ok(cached.some((tokens) => tokens >= 1024));
    ok(cached.every((tokens) => tokens % 128 === 0));
  });

  await t.step("a second run of the same transcript is not warmed by the first", async () => {
    const model = new SimulatedChatModel({ timeScale: 0 });
    const twice = await runAll(model, [0], false);
    deepStrictEqual(await runAll(model, [0], false), twice);
  });

  await t.step("usage and cache reads do not depend on concurrency or interleaving", async () => {
    const model = new SimulatedChatModel({ timeScale: 0.001 });
    const concurrent = await runAll(model, [2, 0, 1, 0, 2, 1], true);
    deepStrictEqual(concurrent, sequential);
  });
});

Deno.test("determinism", async (t) => {
  const prompt = [
    new SystemMessage("Answer anything."),
    new HumanMessage("Tell me about bridges."),
  ];

  await t.step("the same seed gives identical answers, usage and timings", async () => {
    const a = new SimulatedChatModel({ seed: 3, timeScale: 0 });
    const b = new SimulatedChatModel({ seed: 3, timeScale: 0 });
    const [x, y] = [await a.invoke(prompt), await b.invoke(prompt)];
    strictEqual(x.text, y.text);
    deepStrictEqual(x.usage_metadata, y.usage_metadata);
  });

  await t.step("the seed decides which windows look incomplete", () => {
    const answers = (seed: number) =>
      Array.from({ length: 20 }, (_, i) => {
        const model = new SimulatedChatModel({ seed, incompleteChunkRate: 0.5, timeScale: 0 });
        const { system, user } = segmentationPrompt({
          window: `Item ${i} is about budgets and launches.`,
          carriedText: "",
          isFinalWindow: false,
        });
        return model.invoke([new SystemMessage(system), new HumanMessage(user)]);
      });
    return Promise.all([Promise.all(answers(1)), Promise.all(answers(1)), Promise.all(answers(2))])
      .then(([one, again, two]) => {
        deepStrictEqual(one.map((m) => m.text), again.map((m) => m.text));
        notDeepStrictEqual(one.map((m) => m.text), two.map((m) => m.text));
      });
  });
});

Deno.test("stage answers", async (t) => {
  const model = new SimulatedChatModel({ timeScale: 0, incompleteChunkRate: 0 });
  const ask = async (prompt: { system: string; user: string }): Promise<unknown> =>
    JSON.parse(
      (await model.invoke([new SystemMessage(prompt.system), new HumanMessage(prompt.user)])).text,
    );
  const tree = "- Release Date | The release moves to Friday. | parent: none";

  await t.step("segmentation keeps the window's meaningful sentences, drops filler", async () => {
    const answer = SegmentationOutput.parse(
      await ask(segmentationPrompt({
        window: "Um, okay. The release moves to Friday. QA found a crash in checkout.",
        carriedText: "",
        isFinalWindow: false,
      })),
    );
    deepStrictEqual(answer.chunks.map((chunk) => chunk.text), [
      "The release moves to Friday. QA found a crash in checkout.",
    ]);
  });

  await t.step("segmentation marks a trailing-off last chunk incomplete", async () => {
    const answer = SegmentationOutput.parse(
      await ask(segmentationPrompt({
        window: "The release moves to Friday. And then the budget is",
        carriedText: "",
        isFinalWindow: false,
      })),
    );
    strictEqual(answer.chunks.at(-1)?.is_complete, false);
  });

  await t.step("relationship analysis picks the node that shares words", async () => {
    const answer = RelationshipAnalysisOutput.parse(
      await ask(relationshipAnalysisPrompt({
        treeSummary: tree,
        chunks: [
          { name: "Release Slip", text: "The release slips past Friday.", is_complete: true },
          { name: "Garden Compost", text: "Compost needs turning weekly.", is_complete: true },
        ],
      })),
    );
    deepStrictEqual(answer.analyses.map((a) => a.relevant_node_name), [
      "Release Date",
      "NO_RELEVANT_NODE",
    ]);
  });

  await t.step("integration appends on high overlap and creates otherwise", async () => {
    const analyses = [
      {
        name: "Release Friday",
        text: "The release moves to Friday, confirmed.",
        reasoning: "",
        relevant_node_name: "Release Date",
        relationship: "elaborates on",
      },
      {
        name: "Compost Rota",
        text: "Compost needs a weekly rota.",
        reasoning: "",
        relevant_node_name: "NO_RELEVANT_NODE",
        relationship: null,
      },
    ];
    const answer = IntegrationDecisionOutput.parse(
      await ask(integrationDecisionPrompt({ treeSummary: tree, analyses })),
    );
    deepStrictEqual(answer.decisions.map((d) => [d.action, d.target_node, d.new_node_name]), [
      ["APPEND", "Release Date", null],
      ["CREATE", null, "Compost Rota"],
    ]);
  });
});

Deno.test("LangChain integration", async (t) => {
  await t.step(
    "callbacks see the real model and provider, and the model says it is simulated",
    async () => {
      for (
        const [name, provider] of [["gpt-4.1-mini", "openai"], [
          "gemini-2.5-flash-lite",
          "google_genai",
        ]]
      ) {
        const model = new SimulatedChatModel({ model: name, timeScale: 0 });
        const seen: Record<string, unknown>[] = [];
        const answer = await model.invoke("Hi", {
          callbacks: [{
            handleChatModelStart(_llm, _messages, _runId, _parent, extra, _tags, metadata) {
              seen.push({
                ...metadata,
                requested: (extra?.invocation_params as { model?: string })?.model,
              });
            },
          }],
        });
        await awaitAllCallbacks(); // plain-object callbacks run in the background
        strictEqual(seen[0].ls_provider, provider);
        strictEqual(seen[0].ls_model_name, name);
        strictEqual(seen[0].requested, name);
        strictEqual(answer.response_metadata.model_name, name);
        strictEqual(model._llmType(), "graphmeter-simulated");
        strictEqual(model.simulated, true);
      }
    },
  );

  await t.step("streams token chunks and puts usage in the last one", async () => {
    const model = new SimulatedChatModel({ timeScale: 0, tokensPerChunk: 2 });
    const prompt = "Tell me something.";
    const whole = await model.invoke(prompt);
    const chunks = [];
    for await (const chunk of await model.stream(prompt)) chunks.push(chunk);
    ok(chunks.length > 2);
    strictEqual(chunks.map((chunk) => chunk.text).join(""), whole.text);
    deepStrictEqual(chunks.at(-1)?.usage_metadata, whole.usage_metadata);
    ok(chunks.slice(0, -1).every((chunk) => chunk.usage_metadata === undefined));
  });

  await t.step("with streaming on, invoke reports each chunk as a new token", async () => {
    const model = new SimulatedChatModel({ timeScale: 0, streaming: true, tokensPerChunk: 1 });
    const tokens: string[] = [];
    const answer = await model.invoke("Tell me something.", {
      callbacks: [{ handleLLMNewToken: (token: string) => void tokens.push(token) }],
    });
    await awaitAllCallbacks(); // plain-object callbacks run in the background
    strictEqual(tokens.join(""), answer.text);
    strictEqual(tokens.length, answer.usage_metadata?.output_tokens);
  });

  await t.step("an abort signal ends the wait", async () => {
    const model = new SimulatedChatModel({ timeScale: 1 });
    const controller = new AbortController();
    const pending = model.invoke("Hello", { signal: controller.signal });
    controller.abort(new Error("stop"));
    await rejects(pending);
  });
});
