/**
 * A search's report.html and Markdown: every name escaped (a knob value that is HTML shows as
 * text), the frontier picture drawn, and the page renders in headless Chromium with no console
 * message.
 */
import assert from "node:assert/strict";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import type { RunnableConfig } from "@langchain/core/runnables";
import { tune } from "../tune/mod.ts";
import { writeTuneHtml } from "../tune/html.ts";
import { formatTuneMarkdown } from "../tune/markdown.ts";
import { checkHtmlInChromium, chromiumMissing } from "../tools/html_check.ts";
import { ScriptedChatModel, usage } from "./support/scripted_chat_model.ts";

const EVIL = "<img src=x onerror=alert(1)>";

/** A graph whose `configurable.style` picks a model: the long style costs more, scores better. */
async function evilSearch() {
  const State = Annotation.Root({ question: Annotation<string>, answer: Annotation<string> });
  const models: Record<string, ScriptedChatModel> = {
    [EVIL]: new ScriptedChatModel({
      modelName: "gpt-4.1",
      replies: [{ text: "long", usage: usage(900, 300) }],
    }),
    short: new ScriptedChatModel({
      modelName: "gpt-4.1-nano",
      replies: [{ text: "short", usage: usage(300, 30) }],
    }),
  };
  const graph = new StateGraph(State)
    .addNode("respond", async (state, config?: RunnableConfig) => {
      const style = String(config?.configurable?.style);
      const reply = await models[style].invoke(state.question, config);
      return { answer: String(reply.content) };
    })
    .addEdge(START, "respond")
    .addEdge("respond", END)
    .compile();
  return await tune({
    graph,
    inputs: Array.from(
      { length: 12 },
      (_, i) => ({ id: `${EVIL}${i}`, input: { question: `q${i}` } }),
    ),
    evaluators: [({ outputs }) => ({
      key: EVIL,
      score: (outputs as { answer: string }).answer === "long" ? 1 : 0.5,
    })],
    knobs: { style: [EVIL, "short"] },
  });
}

Deno.test("tune's report escapes every name, in HTML and Markdown", async () => {
  const result = await evilSearch();
  const html = await writeTuneHtml(result, { name: EVIL, confirmCommand: `bench --x '${EVIL}'` });
  assert.ok(!html.includes("<img"), "a raw <img tag in the HTML");
  assert.match(html, /<title>graphmeter tune: &lt;img src=x onerror=alert\(1\)&gt;<\/title>/);
  assert.match(html, /style=&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /<svg/);
  const markdown = formatTuneMarkdown(result, { name: EVIL });
  // Code blocks hold the configurable to paste as it is; everywhere else, names are escaped.
  const prose = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, "");
  assert.ok(!prose.includes(EVIL), "a raw <img tag in the Markdown");
  assert.ok(markdown.includes("\\<img src=x onerror=alert\\(1\\)\\>"), "shown as text");
  // The dearer style scores 1 against 0.5: both on the frontier, the cheaper one misses the goal.
  assert.equal(result.frontier.length, 2);
  assert.equal(result.recommended?.name, `style=${EVIL}`);
});

const missing = await chromiumMissing();
if (missing !== null) console.log(`skipping the headless Chromium check: ${missing}`);

Deno.test({
  name: "tune's report.html renders in headless Chromium without console messages",
  ignore: missing !== null,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const html = await writeTuneHtml(await evilSearch(), {
        name: "report",
        confirmCommand: null,
      });
      await Deno.writeTextFile(`${dir}/report.html`, html);
      const check = await checkHtmlInChromium(`${dir}/report.html`, `${dir}/report.png`, {
        width: 1000,
        height: 1600,
      });
      assert.deepEqual(check.consoleMessages, []);
      assert.ok(check.screenshotBytes > 30_000, `screenshot of ${check.screenshotBytes} bytes`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
