/**
 * A graph with the shapes node paths are about, over an instant chat model, for the overhead bench:
 * a stage whose subgraph runs `agent` (a call), `tools` (a tool run), `agent` again (a call), then
 * a stage that sends two `worker` branches (`Send`, a call each).
 */
import { Annotation, END, Send, START, StateGraph } from "@langchain/langgraph";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { tool } from "@langchain/core/tools";
import { z } from "zod";

const State = Annotation.Root({
  text: Annotation<string>({ reducer: (_a, b) => b, default: () => "" }),
  turns: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
});

/** The graph, compiled: `research` (a subgraph: agent, tools, agent), `fanout`, `worker` x 2. */
export function nestedStageGraph(model: BaseChatModel) {
  const lookup = tool(({ query }: { query: string }) => `found ${query}`, {
    name: "lookup",
    description: "Looks a query up.",
    schema: z.object({ query: z.string() }),
  });
  const agent = async (state: typeof State.State) => {
    const answer = await model.invoke(state.text || "start");
    return { text: String(answer.content), turns: 1 };
  };
  const research = new StateGraph(State)
    .addNode("agent", agent)
    .addNode("tools", async (state) => ({ text: await lookup.invoke({ query: state.text }) }))
    .addNode("answer", agent)
    .addEdge(START, "agent")
    .addEdge("agent", "tools")
    .addEdge("tools", "answer")
    .addEdge("answer", END)
    .compile();
  return new StateGraph(State)
    .addNode("research", research)
    .addNode("fanout", () => ({}))
    .addNode("worker", agent)
    .addEdge(START, "research")
    .addEdge("research", "fanout")
    .addConditionalEdges("fanout", () => [new Send("worker", {}), new Send("worker", {})], [
      "worker",
    ])
    .addEdge("worker", END)
    .compile();
}
