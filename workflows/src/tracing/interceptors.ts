/**
 * Tracing inside the workflow, without changing what the workflow does and without loading the
 * OpenTelemetry SDK into it.
 *
 * Why not `@temporalio/interceptors-opentelemetry`'s workflow interceptors: they wrap every
 * activity and update result in extra `await`s, so results reach the workflow a few microtasks
 * later; with updates completing while activities run, that reorders commands and the committed
 * histories no longer replay. And each cached workflow evaluates its own copy of the modules it
 * loads: the SDK added about 1 MB to every cached journey.
 *
 * These make the same spans (RunWorkflow, HandleUpdate, HandleSignal, StartActivity) as plain
 * records, put the W3C trace context in each activity's headers the way the package's activity
 * interceptor reads it (`_tracer-data`), and hand back the very promise `next` returned: a span is
 * ended on a side branch, never in the workflow's path. Only journeys started with a sampled trace
 * are traced; others run exactly as without these interceptors. Finished spans leave through the
 * `levensloopTracing` sink (libs/telemetry, `tracingWorkerOptions`), not during replay.
 */
import {
  ContinueAsNew,
  defaultPayloadConverter,
  proxySinks,
  workflowInfo,
  type ActivityInput,
  type GetLogAttributesInput,
  type Headers,
  type LocalActivityInput,
  type Next,
  type SignalInput,
  type Sinks,
  type UpdateInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { WorkflowSpan } from '@levensloop/contracts/workflow';

/** The header the OpenTelemetry interceptors of clients and activities read and write. */
const TRACE_HEADER = '_tracer-data';

export interface TracingSinks extends Sinks {
  levensloopTracing: { export(spans: WorkflowSpan[]): void };
}

interface SpanRef {
  traceId: string;
  spanId: string;
  traceFlags: number;
}

const { levensloopTracing } = proxySinks<TracingSinks>();
/**
 * The workflow's RunWorkflow span, parent of every activity it starts (module state is per
 * workflow: each has its own module cache). Not an AsyncLocalStorage: an enabled storage per
 * cached workflow made every promise of the worker pay for all of them.
 */
let run: SpanRef | undefined;

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The sampled trace context a client or an earlier span sent, if any. */
function parentFromHeaders(headers: Headers): SpanRef | undefined {
  const payload = headers[TRACE_HEADER];
  if (!payload) return undefined;
  let carrier: { traceparent?: string } | undefined;
  try {
    carrier = defaultPayloadConverter.fromPayload<{ traceparent?: string }>(payload);
  } catch {
    return undefined;
  }
  const m = TRACEPARENT.exec(carrier?.traceparent ?? '');
  if (!m || /^0+$/.test(m[1]) || /^0+$/.test(m[2])) return undefined;
  const traceFlags = parseInt(m[3], 16);
  return traceFlags & 1 ? { traceId: m[1], spanId: m[2], traceFlags } : undefined;
}

/** A span id from the workflow's deterministic random: the same on every replay. */
function newSpanId(): string {
  let id = '';
  while (id.length < 16) id += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return id;
}

function startSpan(name: string, parent: SpanRef, kind: number, attributes: Record<string, string> = {}) {
  const ref: SpanRef = { traceId: parent.traceId, spanId: newSpanId(), traceFlags: parent.traceFlags };
  const record: WorkflowSpan = { name, traceId: ref.traceId, spanId: ref.spanId, parentSpanId: parent.spanId, traceFlags: ref.traceFlags, kind, startMs: Date.now(), endMs: 0, attributes };
  return { ref, record };
}

/** Ends the span when `result` settles, on a branch of its own: the caller's promise is untouched. */
function endWhenSettled<T>(record: WorkflowSpan, result: Promise<T>): Promise<T> {
  const end = (err?: unknown) => {
    record.endMs = Date.now();
    if (err !== undefined && !(err instanceof ContinueAsNew)) record.error = err instanceof Error ? err.message : String(err);
    levensloopTracing.export([record]);
  };
  result.then(
    () => end(),
    (err: unknown) => end(err ?? 'failed'),
  );
  return result;
}

function withTraceHeader(headers: Headers, span: SpanRef): Headers {
  const traceparent = `00-${span.traceId}-${span.spanId}-${span.traceFlags.toString(16).padStart(2, '0')}`;
  return { ...headers, [TRACE_HEADER]: defaultPayloadConverter.toPayload({ traceparent }) };
}

class TracingInbound implements WorkflowInboundCallsInterceptor {
  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const parent = parentFromHeaders(input.headers);
    if (!parent) return next(input);
    const info = workflowInfo();
    const { ref, record } = startSpan(`RunWorkflow:${info.workflowType}`, parent, 0, { temporalWorkflowId: info.workflowId, run_id: info.runId });
    run = ref;
    return endWhenSettled(record, next(input));
  }

  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    const parent = parentFromHeaders(input.headers);
    if (!parent) return next(input);
    const { record } = startSpan(`HandleUpdate:${input.name}`, parent, 0, { temporalUpdateId: input.updateId });
    return endWhenSettled(record, next(input));
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    const parent = parentFromHeaders(input.headers);
    if (!parent) return next(input);
    const { record } = startSpan(`HandleSignal:${input.signalName}`, parent, 0);
    return endWhenSettled(record, next(input));
  }
}

class TracingOutbound implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    const parent = run;
    if (!parent) return next(input);
    const { ref, record } = startSpan(`StartActivity:${input.activityType}`, parent, 2);
    return endWhenSettled(record, next({ ...input, headers: withTraceHeader(input.headers, ref) }));
  }

  scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>): Promise<unknown> {
    const parent = run;
    if (!parent) return next(input);
    const { ref, record } = startSpan(`StartActivity:${input.activityType}`, parent, 2);
    return endWhenSettled(record, next({ ...input, headers: withTraceHeader(input.headers, ref) }));
  }

  getLogAttributes(input: GetLogAttributesInput, next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>): Record<string, unknown> {
    const span = run;
    return next(span ? { trace_id: span.traceId, span_id: span.spanId, ...input } : input);
  }
}

export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new TracingInbound()],
  outbound: [new TracingOutbound()],
});
