import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors } from '@temporalio/client';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Resource } from '@opentelemetry/resources';
import type { Tracing } from './tracing';

/** A client's interceptors: StartWorkflow, update and query spans, the trace context in the headers Temporal carries to the workflow. */
export function tracingClientInterceptors(): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}

/**
 * A worker's part (the workflow's own is workflows/src/tracing, bundled with the workflows):
 * RunActivity spans that continue the workflow's trace (and trace ids in
 * activity logs), and the sink the workflow's spans leave the sandbox through. Without tracing
 * the sink still takes them (and drops them), so no workflow calls a sink that is not there.
 */
export function tracingWorkerOptions(tracing?: Tracing): { interceptors: Pick<WorkerInterceptors, 'activity'>; sinks: InjectedSinks<any> } {
  return {
    interceptors: {
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
    sinks: { exporter: makeWorkflowExporter(tracing?.spanProcessor ?? new NoopSpanProcessor(), tracing?.resource ?? new Resource({})) },
  };
}
