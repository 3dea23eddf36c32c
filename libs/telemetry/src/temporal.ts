import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors } from '@temporalio/client';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Resource } from '@opentelemetry/resources';
import type { Tracing } from './tracing';

/**
 * The workflow interceptors module (inbound: RunWorkflow, update and signal spans; outbound:
 * StartActivity spans and the trace context in each activity's headers). It must be in the
 * workflow bundle (apps/worker/src/workflow-bundle.ts); it adds no command, so histories replay.
 */
export const WORKFLOW_TRACING_MODULE = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/** A client's interceptors: StartWorkflow, update and query spans, the trace context in the headers Temporal carries to the workflow. */
export function tracingClientInterceptors(): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}

/**
 * A worker's part: RunActivity spans that continue the workflow's trace (and trace ids in
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
