/** The reference pipeline's shape for tests and benches: four stages in a row over a chat model. */
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";

/** The state: the last answer's text and how many stages ran. */
export const FourStageState = Annotation.Root({
  text: Annotation<string>({ reducer: (_a, b) => b, default: () => "" }),
  count: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
});

/** The stage names, in order. */
export const FOUR_STAGES = [
  "segmentation",
  "relationship_analysis",
  "integration_decision",
  "node_extraction",
] as const;

/**
 * `segmentation -> relationship_analysis -> integration_decision -> node_extraction`, each
 * calling `model` once; `node_extraction` makes no call unless `llmInEveryStage`.
 */
export function fourStageGraph(model: BaseChatModel, options: { llmInEveryStage?: boolean } = {}) {
  const call = async (state: typeof FourStageState.State) => {
    const answer = await model.invoke(state.text || "start");
    return { text: String(answer.content), count: 1 };
  };
  return new StateGraph(FourStageState)
    .addNode("segmentation", call)
    .addNode("relationship_analysis", call)
    .addNode("integration_decision", call)
    .addNode("node_extraction", options.llmInEveryStage ? call : () => ({ count: 1 }))
    .addEdge(START, "segmentation")
    .addEdge("segmentation", "relationship_analysis")
    .addEdge("relationship_analysis", "integration_decision")
    .addEdge("integration_decision", "node_extraction")
    .addEdge("node_extraction", END)
    .compile();
}
