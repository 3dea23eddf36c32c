import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/** The W3C `traceparent` of the active span (none outside a trace, or with tracing off). */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Adds the active trace context (`traceparent`, `tracestate`) to outgoing headers. */
export function injectTraceHeaders(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

/** Log fields of the active span (pino mixin): `trace_id` and `span_id`, none outside a trace. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const ctx = span.spanContext();
  return trace.isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
}

/** Attributes on the active span (e.g. the journey id a request started, to find its trace by). */
export function annotateActiveSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/** Renames the active span (e.g. a server span to `POST /journeys` once the route is known). */
export function renameActiveSpan(name: string, attributes: Attributes = {}): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.updateName(name);
  span.setAttributes(attributes);
}

/**
 * Runs `fn` in a span that continues the trace of a stored `traceparent` (work picked from an
 * outbox long after the trace that wrote it), or a new trace when there is none. The span
 * ends with `fn`; an error thrown is recorded and rethrown.
 */
export async function inStoredTrace<T>(name: string, traceparent: string | null | undefined, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
  const tracer = trace.getTracer('levensloop');
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}
