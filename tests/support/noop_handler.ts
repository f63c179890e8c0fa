/** A handler that receives every event inline and does nothing: the floor any inline handler pays. */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";

/** Receives every event inline and does nothing. */
export class NoOpHandler extends BaseCallbackHandler {
  name = "noop";
  constructor() {
    super({ _awaitHandler: true });
  }
  override handleChainStart(): void {}
  override handleChainEnd(): void {}
  override handleChainError(): void {}
  override handleChatModelStart(): void {}
  override handleLLMEnd(): void {}
  override handleLLMError(): void {}
  override handleLLMNewToken(): void {}
  override handleToolStart(): void {}
  override handleToolEnd(): void {}
}
