/**
 * A span a workflow finished, as it leaves the workflow sandbox through the worker's
 * `levensloopTracing` sink (times in epoch milliseconds, workflow time). The workflow's own
 * interceptors (workflows/src/tracing) record it; libs/telemetry turns it into an exported span.
 */
export interface WorkflowSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceFlags: number;
  /** OpenTelemetry's SpanKind: 0 internal, 2 client (a start of an activity). */
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Record<string, string>;
  error?: string;
}
