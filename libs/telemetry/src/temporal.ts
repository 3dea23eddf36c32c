import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors } from '@temporalio/client';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import { SpanKind, SpanStatusCode, type HrTime } from '@opentelemetry/api';
import { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { WorkflowSpan } from '@levensloop/contracts/workflow';
import type { Tracing } from './tracing';

/** A client's interceptors: StartWorkflow, update and query spans, the trace context in the headers Temporal carries to the workflow. */
export function tracingClientInterceptors(): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}

const hrTime = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
const SCOPE = { name: 'levensloop-workflow' };

/** The workflow's span record as the SDK's exporters take it. */
function readableSpan(s: WorkflowSpan, resource: Resource, workflowType: string): ReadableSpan {
  const spanContext = { traceId: s.traceId, spanId: s.spanId, traceFlags: s.traceFlags };
  const duration = Math.max(0, s.endMs - s.startMs);
  return {
    name: s.name,
    kind: s.kind === 2 ? SpanKind.CLIENT : SpanKind.INTERNAL,
    spanContext: () => spanContext,
    parentSpanId: s.parentSpanId,
    startTime: hrTime(s.startMs),
    endTime: hrTime(s.endMs),
    duration: hrTime(duration),
    status: s.error ? { code: SpanStatusCode.ERROR, message: s.error } : { code: SpanStatusCode.OK },
    attributes: { ...s.attributes, temporalWorkflowType: workflowType },
    links: [],
    events: [],
    ended: true,
    resource,
    instrumentationLibrary: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/**
 * A worker's part (the workflow's own is workflows/src/tracing, bundled with the workflows):
 * RunActivity spans that continue the workflow's trace (and trace ids in activity logs), and the
 * sink the workflow's spans leave the sandbox through (not called during replay). Without
 * tracing the sink takes them and drops them.
 */
export function tracingWorkerOptions(tracing?: Tracing): { interceptors: Pick<WorkerInterceptors, 'activity'>; sinks: InjectedSinks<any> } {
  const resource = tracing?.resource ?? new Resource({});
  return {
    interceptors: {
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
    sinks: {
      levensloopTracing: {
        export: {
          fn: (info, spans: WorkflowSpan[]) => {
            if (!tracing?.exporting) return;
            for (const span of spans) tracing.spanProcessor.onEnd(readableSpan(span, resource, info.workflowType));
          },
        },
      },
    },
  };
}
