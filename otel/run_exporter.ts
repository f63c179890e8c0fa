/**
 * Spans and metrics of a finished run, built from its metrics with their exact recorded
 * timestamps, off the callback hot path: {@linkcode exportToOpenTelemetry} for one run,
 * {@linkcode OpenTelemetryRunExporter} for every run a handler finishes.
 *
 * @module
 */
import {
  type Attributes,
  context,
  metrics as otelMetrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import type { PipelineMetrics } from "../telemetry/metrics.ts";
import { pathSegment } from "../telemetry/_path_figures.ts";
import {
  ATTEMPT_EVENT,
  attemptEventAttributes,
  ATTEMPTS_ATTRIBUTE,
  ATTRIBUTION_PREFIX,
  attributionAttributes,
  CONVERSATION_ATTRIBUTE,
  COST_ATTRIBUTE,
  genAiCallAttributes,
  nodeAttributes,
  openInferenceCallAttributes,
  openInferenceRunAttributes,
  runAttributes,
  STAGE_ATTRIBUTE,
  toolAttributes,
  WAIT_ATTRIBUTE,
} from "./_attributes.ts";
import {
  createRunInstruments,
  METRIC_NAMES,
  recordRun,
  type RunInstruments,
} from "./_instruments.ts";
import type { ContextLike, MeterLike, SpanLike, TracerLike } from "./api_types.ts";
import {
  DEFAULT_MAX_METRIC_ATTRIBUTE_VALUES,
  MetricAttributeGuard,
  OTHER_ATTRIBUTE_VALUE,
} from "./_metric_attributes.ts";

export {
  ATTEMPT_EVENT,
  ATTEMPTS_ATTRIBUTE,
  ATTRIBUTION_PREFIX,
  CONVERSATION_ATTRIBUTE,
  COST_ATTRIBUTE,
  METRIC_NAMES,
  OTHER_ATTRIBUTE_VALUE,
  WAIT_ATTRIBUTE,
};
export { STAGE_ATTRIBUTE };

/** The instrumentation scope name of graphmeter's spans and metrics. */
export const INSTRUMENTATION_NAME = "graphmeter";

/** Options of {@linkcode exportToOpenTelemetry}. */
export interface OpenTelemetryExportOptions {
  /** The tracer, e.g. OpenTelemetry's (default: the global tracer provider's `graphmeter` one). */
  tracer?: TracerLike;
  /** The meter, e.g. OpenTelemetry's (default: the global meter provider's `graphmeter` one). */
  meter?: MeterLike;
  /** The workflow's name, for the run span (`invoke_agent <name>`); default `langgraph`. */
  workflowName?: string;
  /** The context to parent the run span in (default: the active context). */
  parentContext?: ContextLike;
  /**
   * Also set OpenInference attributes (`openinference.span.kind`, `llm.model_name`,
   * `llm.token_count.*`, `llm.cost.total`, `session.id`), for Phoenix/Arize. Default false.
   */
  openInference?: boolean;
  /**
   * The attribution keys (`tenant_id`, `feature`, ...) metric points may carry, as
   * `graphmeter.attribution.<key>`: each makes a time series per value, so none by default. Spans
   * always carry every attribution key and the thread; metrics never carry the thread.
   */
  metricAttributes?: readonly string[];
  /**
   * Distinct values of each allowed key on metric points; a later value is recorded as `_other`,
   * so 10,000 users never make 10,000 series. Default 100.
   */
  maxMetricAttributeValues?: number;
}

function endWithStatus(span: SpanLike, error: string | null, endTime: number): void {
  if (error !== null) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  span.end(endTime);
}

/** An execution's span, to parent what ran inside it. */
interface ExecutionHome {
  readonly start: number;
  readonly end: number;
  readonly context: ContextLike;
}

/**
 * The execution of `homes` that ran at `at` (the latest started: under parallel executions of one
 * node that both contain `at`, a guess), or undefined.
 */
function homeAt(
  homes: readonly ExecutionHome[] | undefined,
  at: number,
): ExecutionHome | undefined {
  let found: ExecutionHome | undefined;
  for (const home of homes ?? []) {
    if (home.start <= at && at <= home.end && (found === undefined || home.start >= found.start)) {
      found = home;
    }
  }
  return found;
}

/**
 * Emits the spans of the nodes inside the stages (`node <path>`, each inside an execution of its
 * parent node, the stages' first) and of the tool runs (`execute_tool <name>`, inside the node
 * execution they ran in); adds each node execution to `homes`, by path.
 */
function emitNodeSpans(
  tracer: TracerLike,
  run: PipelineMetrics,
  homes: Map<string, ExecutionHome[]>,
  openInference: boolean,
): void {
  for (const path of Object.values(run.paths ?? {})) {
    const parentKey = path.path.includes("/")
      ? path.path.slice(0, path.path.lastIndexOf("/"))
      : null;
    const stage = path.path.split("/")[0];
    if (parentKey !== null) {
      for (const execution of path.executionSpans) {
        const parent = homeAt(homes.get(parentKey), execution.startedAt);
        if (parent === undefined) continue;
        const end = execution.startedAt + execution.latencyMs;
        const span = tracer.startSpan(`node ${path.path}`, {
          startTime: execution.startedAt,
          attributes: {
            ...nodeAttributes(path, stage),
            ...(openInference ? { "openinference.span.kind": "CHAIN" } : {}),
          },
        }, parent.context);
        const list = homes.get(path.path) ?? [];
        list.push({
          start: execution.startedAt,
          end,
          context: trace.setSpan(parent.context, span as Span),
        });
        homes.set(path.path, list);
        endWithStatus(span, execution.failed ? "node execution failed" : null, end);
      }
    }
    for (const tool of path.toolSpans) {
      const home = homeAt(homes.get(path.path), tool.startedAt);
      if (home === undefined) continue;
      const span = tracer.startSpan(`execute_tool ${tool.tool}`, {
        kind: SpanKind.INTERNAL,
        startTime: tool.startedAt,
        attributes: {
          ...toolAttributes(tool.tool, path.path, stage),
          ...(openInference ? { "openinference.span.kind": "TOOL", "tool.name": tool.tool } : {}),
        },
      }, home.context);
      endWithStatus(span, tool.failed ? "tool run failed" : null, tool.startedAt + tool.latencyMs);
    }
  }
}

/**
 * Emits one run's spans: the run, its stage executions, the node executions and tool runs inside
 * them, and its calls in the node execution they were made in.
 */
function emitRunSpans(
  tracer: TracerLike,
  run: PipelineMetrics,
  workflowName: string,
  parent: ContextLike,
  openInference: boolean,
): void {
  const attribution = attributionAttributes(run, openInference);
  const runSpan = tracer.startSpan(`invoke_agent ${workflowName}`, {
    kind: SpanKind.INTERNAL,
    startTime: run.startedAt,
    attributes: openInference
      ? { ...runAttributes(run, workflowName), ...openInferenceRunAttributes(run), ...attribution }
      : { ...runAttributes(run, workflowName), ...attribution },
  }, parent);
  // The context carries a span only back to the tracer that made it (as its children's parent),
  // so a real Tracer's spans are real Spans here.
  const runContext = trace.setSpan(parent, runSpan as Span);

  const executions: { stage: string; start: number; end: number; context: ContextLike }[] = [];
  const homes = new Map<string, ExecutionHome[]>(); // node executions by path, stages' included
  for (const stage of Object.values(run.stages)) {
    const key = pathSegment(stage.name); // a stage's node path
    for (const execution of stage.executionSpans) {
      const end = execution.startedAt + execution.latencyMs;
      const attributes: Attributes = { [STAGE_ATTRIBUTE]: stage.name };
      if (openInference) attributes["openinference.span.kind"] = "CHAIN";
      const span = tracer.startSpan(`stage ${stage.name}`, {
        startTime: execution.startedAt,
        attributes,
      }, runContext);
      const home = {
        start: execution.startedAt,
        end,
        context: trace.setSpan(runContext, span as Span),
      };
      executions.push({ stage: stage.name, ...home });
      homes.set(key, [...(homes.get(key) ?? []), home]);
      endWithStatus(span, execution.failed ? "stage execution failed" : null, end);
    }
  }
  emitNodeSpans(tracer, run, homes, openInference);

  for (const call of run.calls) {
    const home = homeAt(homes.get(call.path ?? ""), call.startedAt) ??
      executions.find((execution) =>
        execution.stage === call.stage && execution.start <= call.startedAt &&
        call.startedAt <= execution.end
      );
    const span = tracer.startSpan(`chat ${call.model}`, {
      kind: SpanKind.CLIENT,
      startTime: call.startedAt,
      attributes: openInference
        ? { ...genAiCallAttributes(call), ...openInferenceCallAttributes(call), ...attribution }
        : { ...genAiCallAttributes(call), ...attribution },
    }, home?.context ?? runContext);
    for (const attempt of call.attempts ?? []) {
      span.addEvent(
        ATTEMPT_EVENT,
        attemptEventAttributes(attempt),
        call.startedAt + attempt.startOffsetMs,
      );
    }
    endWithStatus(span, call.error, call.startedAt + call.latencyMs);
  }
  endWithStatus(runSpan, run.error, run.startedAt + run.wallTimeMs);
}

/**
 * Emits one run as OpenTelemetry spans and metrics: a run span (`invoke_agent <workflow>`), a
 * span per stage execution (`stage <name>`), a span per execution of a node inside a stage
 * (`node research_agent/agent`, inside its parent node's), a span per tool run
 * (`execute_tool <name>`, the GenAI conventions' tool span) and a client span per LLM call
 * (`chat <model>`), each under the node execution it happened in, with its recorded start and end;
 * plus the metrics named in {@linkcode METRIC_NAMES}. For a long-lived process, prefer
 * {@linkcode OpenTelemetryRunExporter}, which the handler calls as each run ends.
 *
 * @param run One run's metrics (an entry of `handler.runs`).
 * @param options Tracer, meter, workflow name, parent context, OpenInference attributes.
 *
 * @example Usage
 * ```ts
 * import { exportToOpenTelemetry } from "./run_exporter.ts";
 * import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
 *
 * // With no OpenTelemetry SDK registered, the global tracer and meter are no-ops.
 * const handler = new PerformanceCallbackHandler();
 * for (const run of handler.runs) exportToOpenTelemetry(run, { workflowName: "transcript-tree" });
 * ```
 */
export function exportToOpenTelemetry(
  run: PipelineMetrics,
  options: OpenTelemetryExportOptions = {},
): void {
  const tracer = options.tracer ?? trace.getTracer(INSTRUMENTATION_NAME);
  const meter = options.meter ?? otelMetrics.getMeter(INSTRUMENTATION_NAME);
  const workflowName = options.workflowName ?? "langgraph";
  const parent = options.parentContext ?? context.active();
  emitRunSpans(tracer, run, workflowName, parent, options.openInference ?? false);
  const allowed = new MetricAttributeGuard(
    options.metricAttributes ?? [],
    options.maxMetricAttributeValues ?? DEFAULT_MAX_METRIC_ATTRIBUTE_VALUES,
  ).attributesOf(run);
  recordRun(createRunInstruments(meter), run, workflowName, allowed);
}

/** Options of {@linkcode OpenTelemetryRunExporter}. */
export type OpenTelemetryRunExporterOptions = Omit<OpenTelemetryExportOptions, "parentContext">;

/**
 * Streams every finished run to OpenTelemetry as it ends: pass its
 * {@linkcode OpenTelemetryRunExporter.onRunEnd} to the handler, and each root run becomes spans
 * and metric points (see {@linkcode exportToOpenTelemetry}) through `@opentelemetry/api`, so
 * whichever SDK and exporter the app registers receives them (on Deno, `OTEL_DENO=true` alone).
 * The run span is parented in the context active when the run ends (an HTTP server span, say).
 * Exporting never throws into the graph: a failure is caught and counted in `failedRuns`.
 * Instruments are created once, on the first run.
 *
 * @example Usage
 * ```ts
 * import { OpenTelemetryRunExporter } from "./run_exporter.ts";
 * import { PerformanceCallbackHandler } from "../telemetry/handler.ts";
 * import { FakeListChatModel } from "@langchain/core/utils/testing";
 * import assert from "node:assert/strict";
 *
 * const exporter = new OpenTelemetryRunExporter({ workflowName: "support-agent" });
 * // maxRetainedRuns: 0 forgets each run once exported: memory stays flat.
 * const handler = new PerformanceCallbackHandler({
 *   onRunEnd: exporter.onRunEnd,
 *   maxRetainedRuns: 0,
 * });
 * await new FakeListChatModel({ responses: ["hi"] }).invoke("hello", { callbacks: [handler] });
 * assert.equal(exporter.exportedRuns, 1);
 * assert.equal(handler.runs.length, 0);
 * ```
 */
export class OpenTelemetryRunExporter {
  readonly #tracer: TracerLike | undefined;
  readonly #meter: MeterLike | undefined;
  readonly #workflowName: string;
  readonly #openInference: boolean;
  readonly #metricAttributes: MetricAttributeGuard;
  #instruments: RunInstruments | null = null;
  #exportedRuns = 0;
  #failedRuns = 0;
  #lastError: unknown = null;

  /**
   * Creates an exporter.
   *
   * @param options Tracer and meter (default: the global providers'), workflow name,
   * OpenInference attributes, the attribution keys allowed on metric points.
   * @throws {RangeError} When `maxMetricAttributeValues` is not a whole number ≥ 1.
   */
  constructor(options: OpenTelemetryRunExporterOptions = {}) {
    this.#metricAttributes = new MetricAttributeGuard(
      options.metricAttributes ?? [],
      options.maxMetricAttributeValues ?? DEFAULT_MAX_METRIC_ATTRIBUTE_VALUES,
    );
    this.#tracer = options.tracer;
    this.#meter = options.meter;
    this.#workflowName = options.workflowName ?? "langgraph";
    this.#openInference = options.openInference ?? false;
  }

  /** Runs handed to the SDK (spans ended, points recorded). */
  get exportedRuns(): number {
    return this.#exportedRuns;
  }

  /** Runs whose export threw (caught here, never thrown into the graph). */
  get failedRuns(): number {
    return this.#failedRuns;
  }

  /** The last exception caught while exporting (null when none). */
  get lastError(): unknown {
    return this.#lastError;
  }

  /** Exports one finished run; bound, so it can be passed as the handler's `onRunEnd`. */
  readonly onRunEnd = (run: PipelineMetrics): void => {
    try {
      const tracer = this.#tracer ?? trace.getTracer(INSTRUMENTATION_NAME);
      this.#instruments ??= createRunInstruments(
        this.#meter ?? otelMetrics.getMeter(INSTRUMENTATION_NAME),
      );
      emitRunSpans(tracer, run, this.#workflowName, context.active(), this.#openInference);
      recordRun(
        this.#instruments,
        run,
        this.#workflowName,
        this.#metricAttributes.attributesOf(run),
      );
      this.#exportedRuns += 1;
    } catch (error) {
      this.#failedRuns += 1;
      this.#lastError = error;
    }
  };
}
