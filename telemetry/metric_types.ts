/**
 * The metric value types, listed once for the entry points whose signatures use them (`./benchmark`,
 * `./compare`, `./otel` re-export this list, so their documentation is complete): the same types
 * the root exports.
 *
 * @module
 */
export type {
  ExecutionSpan,
  LLMCallMetrics,
  MetricsSchema,
  PipelineMetrics,
  PricingInfo,
  StageMetrics,
  StageTotals,
} from "./metrics.ts";
export type { PathFigures, PathMetrics, ToolSpan } from "./path_metrics.ts";
export type { TokenUsage } from "../pricing/token_usage.ts";
export type { CostSource } from "../pricing/cost_source.ts";
export type { CostBreakdown } from "../pricing/breakdown.ts";
export type { AttemptOutcome, HttpAttempt, RateLimitReading } from "./attempt_metrics.ts";
