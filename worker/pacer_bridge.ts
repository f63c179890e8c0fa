/**
 * The CLI's end of pacing a worker's requests: the worker asks (`admit`) before each tracked
 * request is sent, and this bridge puts the question to the benchmark's pacer — the same shared
 * limiter the CLI's own requests go through — and answers `admitted` when the pacer lets the
 * request go; it tells the pacer each answer (`observe`), so it learns limits from the headers
 * and 429s the worker saw. Structural types only: the worker folder imports nothing of the CLI.
 *
 * @module
 */
import type { AttemptRequest, FromWorker, PlainAttemptAnswer, ToWorker } from "./protocol.ts";

/** A request the gate sees (the pacer's `OutgoingAttempt`). */
export interface GateRequest {
  /** The request's URL. */
  readonly url: URL;
  /** The body's length, characters. */
  readonly bodyChars: number;
  /** The model the body asks for, or null. */
  readonly model: string | null;
  /** The output tokens the body allows, or null. */
  readonly maxTokens: number | null;
  /** The call the request belongs to. */
  readonly callRunId: string;
}

/** An answer the gate sees (the recorder's `AttemptAnswer`). */
export type GateAnswer =
  | {
    status: number;
    headers: { get(name: string): string | null } | null;
    failure?: undefined;
  }
  | { status?: undefined; headers?: undefined; failure: "aborted" | "network_error" | "not_sent" };

/** What holds requests to rate limits (the benchmark's `RatePacer`). */
export interface RequestGate {
  /** Resolves (or returns nothing) when the request may go; rejects when `signal` aborts. */
  admit(request: GateRequest, signal: AbortSignal | null): Promise<void> | void;
  /** Sees how a request went. */
  observe(request: GateRequest, answer: GateAnswer): void;
}

function gateRequest(request: AttemptRequest): GateRequest {
  return { ...request, url: new URL(request.url) };
}

function gateAnswer(answer: PlainAttemptAnswer): GateAnswer {
  if ("status" in answer) {
    const headers = answer.headers ?? {};
    return {
      status: answer.status,
      headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    };
  }
  return { failure: answer.failure };
}

/**
 * Answers one worker's pacing questions with a gate.
 *
 * @example Usage
 * ```ts
 * import { PacerBridge } from "./pacer_bridge.ts";
 * import type { ToWorker } from "./protocol.ts";
 * import assert from "node:assert/strict";
 *
 * const sent: ToWorker[] = [];
 * const bridge = new PacerBridge((message) => sent.push(message));
 * bridge.gate = { admit: () => {}, observe: () => {} };
 * const request = {
 *   url: "http://127.0.0.1:9/v1/chat/completions",
 *   bodyChars: 10,
 *   model: null,
 *   maxTokens: null,
 *   callRunId: "run-1",
 * };
 * bridge.onMessage({ type: "admit", id: 0, request });
 * assert.deepEqual(sent, [{ type: "admitted", id: 0, heldMs: 0 }]);
 * ```
 */
export class PacerBridge {
  readonly #send: (message: ToWorker) => void;
  /** Each held request's abort controller, by the worker's admit id. */
  readonly #held = new Map<number, AbortController>();
  /** The gate; null lets every request go at once. */
  gate: RequestGate | null = null;
  /** Failures of the gate (the request went on unheld), counted. */
  errors = 0;

  /** @param send Sends a message to the worker. */
  constructor(send: (message: ToWorker) => void) {
    this.#send = send;
  }

  /**
   * Answers a pacing message from the worker (`admit`, `admit-cancel`, `observe`).
   *
   * @param message The message.
   */
  onMessage(
    message: Extract<FromWorker, { type: "admit" | "admit-cancel" | "observe" }>,
  ): void {
    switch (message.type) {
      case "admit":
        return this.#admit(message.id, message.request);
      case "admit-cancel":
        this.#held.get(message.id)?.abort(new Error("the request was cancelled"));
        this.#held.delete(message.id);
        return;
      case "observe":
        try {
          this.gate?.observe(gateRequest(message.request), gateAnswer(message.answer));
        } catch {
          this.errors++;
        }
        return;
    }
  }

  /** Releases every held request (the worker is gone). */
  reset(): void {
    for (const controller of this.#held.values()) controller.abort(new Error("worker gone"));
    this.#held.clear();
  }

  #admit(id: number, request: AttemptRequest): void {
    const from = performance.now();
    let atOnce = true;
    // The time the pacer held it (the message's round trip is the client's own work, not a wait).
    const letGo = () => {
      const heldMs = atOnce ? 0 : performance.now() - from;
      if (this.#held.delete(id)) this.#send({ type: "admitted", id, heldMs });
    };
    const controller = new AbortController();
    this.#held.set(id, controller);
    let held: Promise<void> | void;
    try {
      held = this.gate?.admit(gateRequest(request), controller.signal);
    } catch {
      this.errors++;
      return letGo();
    }
    if (held === undefined) return letGo();
    atOnce = false;
    held.then(letGo, () => {
      // Cancelled: the worker knows. The gate's own failure: the request goes on, unheld.
      if (controller.signal.aborted) return;
      this.errors++;
      letGo();
    });
  }
}
