/**
 * The seam a budget plugs into: a {@linkcode CallGuard} sees every LLM call before it is sent and
 * again when it ends, with who the call is for and what it may cost. The handler knows no budget:
 * graphmeter's own guard (`BudgetGuard`, in `@graphmeter/graphmeter/budget`) is one such guard.
 *
 * @module
 */

/** An LLM call as a guard sees it: who it is for, what it asks for, what it may cost at most. */
export interface GuardedCall {
  /** LangChain's run id of the call. */
  readonly runId: string;
  /** The root run (graph invocation) the call belongs to. */
  readonly rootRunId: string;
  /** The root run's thread, or null. */
  readonly threadId: string | null;
  /** The root run's attribution keys (`user_id`, `tenant_id`, ...). */
  readonly attributes: Readonly<Record<string, string>>;
  /** The provider, as LangChain names it. */
  readonly provider: string;
  /** The requested model, when known. */
  readonly model: string | null;
  /**
   * The prompt's tokens, counted cheaply before the call (about 4 characters a token for ASCII
   * text, 1 a character otherwise, a fixed amount an image, plus the tools' definitions); null
   * for a call reported after the fact, or when the guard stops no calls.
   */
  readonly promptTokens: number | null;
  /**
   * The most output tokens the call asked for (`max_tokens`, `max_completion_tokens`,
   * `maxOutputTokens`, `num_predict`), else the model's published output limit; null when neither
   * is known (or the guard stops no calls).
   */
  readonly maxOutputTokens: number | null;
  /** Start of the call, epoch milliseconds. */
  readonly startedAt: number;
  /**
   * The cost in US dollars of `inputTokens` and `outputTokens` on this call's model and provider,
   * at its start time, with the handler's price overrides; null when the model cannot be priced.
   */
  price(inputTokens: number, outputTokens: number): number | null;
}

/**
 * Sees every LLM call before it is sent and when it ends. A guard that may stop calls
 * (`stopsCalls`) makes the handler raise what `beforeCall` returns into the graph: LangChain then
 * fails the call before any request is sent, and the node sees that error like any other. Anything
 * a guard throws is a bug of the guard: the handler catches and counts it, and the call goes on.
 */
export interface CallGuard {
  /** Whether `beforeCall` may stop calls (the handler then asks LangChain to raise its errors). */
  readonly stopsCalls: boolean;
  /**
   * Decides whether a call may be sent: null lets it go, an error stops it (that error is what the
   * graph sees). May answer later (a shared counter): the call waits for the answer.
   */
  beforeCall(call: GuardedCall): Error | null | Promise<Error | null>;
  /**
   * The call ended, failed, or was reported (`reportLLMCall`): its priced cost in US dollars, or
   * null when it could not be priced (no usage reported, unknown model). Synchronous: anything
   * slow is the guard's to do in the background.
   */
  afterCall(call: GuardedCall, costUsd: number | null): void;
  /** A root run ended (its per-run state can go). */
  runEnded?(rootRunId: string): void;
}
