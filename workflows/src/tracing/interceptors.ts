/**
 * OpenTelemetry inside the workflow, without changing what the workflow does.
 *
 * `@temporalio/interceptors-opentelemetry`'s own workflow interceptors wrap every activity and
 * update in `async`/`await`, so results reach the workflow a few microtasks later; with updates
 * completing while activities run, that reorders commands and the committed histories no longer
 * replay. These give the same spans (RunWorkflow, HandleUpdate, HandleSignal, StartActivity, the
 * trace context in each activity's headers, trace ids in workflow logs) but hand back the very
 * promise `next` returned: a span is ended on a side branch, never in the workflow's path. Spans
 * leave the sandbox through the package's `exporter` sink (apps/worker registers it).
 */
// First: sets the browser-like globals (performance) OpenTelemetry reads as it loads, in the sandbox only.
import '@temporalio/interceptors-opentelemetry/lib/workflow/runtime';
import * as otel from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ContextManager } from '@temporalio/interceptors-opentelemetry/lib/workflow/context-manager';
import { SpanExporter } from '@temporalio/interceptors-opentelemetry/lib/workflow/span-exporter';
import { extractContextFromHeaders, headersWithContext } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import {
  ContinueAsNew,
  type Headers,
  workflowInfo,
  type ActivityInput,
  type DisposeInput,
  type GetLogAttributesInput,
  type LocalActivityInput,
  type Next,
  type SignalInput,
  type UpdateInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowInternalsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

let contextManager: ContextManager | undefined;
let tracer: otel.Tracer | undefined;

function getTracer(): otel.Tracer {
  if (!tracer) {
    contextManager = new ContextManager();
    const provider = new BasicTracerProvider();
    provider.addSpanProcessor(new SimpleSpanProcessor(new SpanExporter()));
    provider.register({ contextManager });
    tracer = provider.getTracer('levensloop-workflow');
  }
  return tracer;
}

/** Ends `span` when `result` settles, on a branch of its own: the caller's promise is untouched. */
function endWhenSettled<T>(span: otel.Span, result: Promise<T>): Promise<T> {
  result.then(
    () => {
      span.setStatus({ code: otel.SpanStatusCode.OK });
      span.end();
    },
    (err: unknown) => {
      if (err instanceof ContinueAsNew) span.setStatus({ code: otel.SpanStatusCode.OK });
      else span.setStatus({ code: otel.SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      span.end();
    },
  );
  return result;
}

/**
 * The context to trace under: only one that carries a sampled-in, valid span. A journey started
 * without tracing (no header, or a client whose tracing is off) runs exactly as without these
 * interceptors: no span, no header, nothing for the sink.
 */
function tracedParent(headers?: Headers): otel.Context | undefined {
  getTracer(); // registers the propagator and context manager before anything is read
  const ctx = headers ? extractContextFromHeaders(headers) : otel.context.active();
  const span = ctx && otel.trace.getSpanContext(ctx);
  return span && otel.isSpanContextValid(span) ? ctx : undefined;
}

/** Runs `fn` with `span` active under `parent`, so what it schedules is the span's child. */
function inSpan<T>(parent: otel.Context, span: otel.Span, fn: () => T): T {
  return otel.context.with(otel.trace.setSpan(parent, span), fn);
}

class TracingInbound implements WorkflowInboundCallsInterceptor {
  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const parent = tracedParent(input.headers);
    if (!parent) return next(input);
    const info = workflowInfo();
    const span = getTracer().startSpan(`RunWorkflow:${info.workflowType}`, { attributes: { temporalWorkflowId: info.workflowId, run_id: info.runId } }, parent);
    return endWhenSettled(span, inSpan(parent, span, () => next(input)));
  }

  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    const parent = tracedParent(input.headers);
    if (!parent) return next(input);
    const span = getTracer().startSpan(`HandleUpdate:${input.name}`, { attributes: { temporalUpdateId: input.updateId } }, parent);
    return endWhenSettled(span, inSpan(parent, span, () => next(input)));
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    const parent = tracedParent(input.headers);
    if (!parent) return next(input);
    const span = getTracer().startSpan(`HandleSignal:${input.signalName}`, {}, parent);
    return endWhenSettled(span, inSpan(parent, span, () => next(input)));
  }
}

class TracingOutbound implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    const parent = tracedParent();
    if (!parent) return next(input);
    const span = getTracer().startSpan(`StartActivity:${input.activityType}`, {}, parent);
    const headers = inSpan(parent, span, () => headersWithContext(input.headers));
    return endWhenSettled(span, next({ ...input, headers }));
  }

  scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>): Promise<unknown> {
    const parent = tracedParent();
    if (!parent) return next(input);
    const span = getTracer().startSpan(`StartActivity:${input.activityType}`, {}, parent);
    const headers = inSpan(parent, span, () => headersWithContext(input.headers));
    return endWhenSettled(span, next({ ...input, headers }));
  }

  getLogAttributes(input: GetLogAttributesInput, next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>): Record<string, unknown> {
    const ctx = otel.trace.getSpan(otel.context.active())?.spanContext();
    return next(ctx && otel.isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId, ...input } : input);
  }
}

class TracingInternals implements WorkflowInternalsInterceptor {
  dispose(input: DisposeInput, next: Next<WorkflowInternalsInterceptor, 'dispose'>): void {
    contextManager?.disable();
    next(input);
  }
}

export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new TracingInbound()],
  outbound: [new TracingOutbound()],
  internals: [new TracingInternals()],
});
