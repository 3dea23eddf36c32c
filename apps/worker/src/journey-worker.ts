import * as fs from 'node:fs';
import { DefaultLogger, Runtime, Worker, makeTelemetryFilterString, type LogLevel } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createInboxSweepActivities, createJourneyActivities, createRetentionActivities, createSourceEventActivities, createPaymentActivities } from '@levensloop/activities';
import { createLogRedactor, type LevensloopConfig } from '@levensloop/config';
import { createSourceClient } from '@levensloop/sources';
import { documentStoreFor } from '@levensloop/persistence';
import { lazyClient } from '@levensloop/temporal';
import { workerBase } from '@levensloop/temporal/worker';
import { keepInboxSweepSchedule } from './inbox-sweep-schedule';
import { tracingClientInterceptors, tracingWorkerOptions, type Tracing } from '@levensloop/telemetry';
import { keepNamespaceRetention, keepRetentionSchedule } from './retention-schedule';
import { buildWorkflowBundle, bundlePath } from './workflow-bundle';

let runtimeInstalled = false;

/** Creates the Temporal worker: the workflow bundle (journeys, source events, the inbox sweep, retention) plus their activities; keeps the inbox-sweep and retention schedules. */
export async function createJourneyWorker(config: LevensloopConfig, dataSource: DataSource, tracing?: Tracing): Promise<Worker> {
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    // One JSON line per log entry, like the gateway (pino), so logs can be shipped as they are;
    // national and enterprise numbers hashed and addresses masked, as in the gateway's.
    const level = (config.logLevel.toUpperCase() as LogLevel) ?? 'INFO';
    const redactor = createLogRedactor(config.logPseudonymKey);
    Runtime.install({
      logger: new DefaultLogger(level, ({ level: lvl, message, meta, timestampNanos }) => {
        const time = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
        process.stdout.write(`${redactor.jsonLine(JSON.stringify({ time, level: lvl.toLowerCase(), msg: message, ...meta }))}\n`);
      }),
      telemetryOptions: {
        logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
        // The SDK's own metrics (task latencies, slots, sticky cache) for Prometheus, when asked for.
        ...(config.worker.metricsAddress ? { metrics: { prometheus: { bindAddress: config.worker.metricsAddress } } } : {}),
      },
    });
  }
  const base = await workerBase(config.temporal);
  // Source events start journeys (the journey launcher) and cancel them through Temporal's client.
  const client = lazyClient(config.temporal, { interceptors: tracingClientInterceptors() });
  // The inbox sweep runs on this queue, once per deployment (a schedule, not a loop per replica).
  await keepInboxSweepSchedule(client, config.temporal.taskQueue, config.worker.inboxSweepEveryMs);
  // The data lifecycle runs on this queue, once per deployment (a schedule every replica keeps).
  await keepRetentionSchedule(client, config.temporal.taskQueue, config.retention);
  await keepNamespaceRetention(client, config.temporal.namespace, config.retention.temporalHistory).catch((err: Error) =>
    // A namespace this login may not change (Temporal Cloud: set by tcld) keeps the retention it has.
    Runtime.instance().logger.warn(`could not set the namespace's retention to ${config.retention.temporalHistory}: ${err.message}`),
  );
  const prebuilt = bundlePath();
  const workflowBundle = fs.existsSync(prebuilt) ? { codePath: prebuilt } : await buildWorkflowBundle();
  return Worker.create({
    // Connection (TLS, API key) and the encrypting data converter; interceptors and plugins go here too.
    ...base,
    // RunWorkflow and RunActivity spans in the trace of the request that started the journey.
    ...tracingWorkerOptions(tracing),
    taskQueue: config.temporal.taskQueue,
    workflowBundle,
    activities: {
      ...createJourneyActivities({
        dataSource,
        agencyTimeoutMs: config.agencyCalls.timeoutMs,
        agencyCalls: config.agencyCalls,
        sources: createSourceClient(config.sources),
      }),
      ...createSourceEventActivities({ dataSource, client, taskQueue: config.temporal.taskQueue, config }),
      ...createInboxSweepActivities({ dataSource, client, taskQueue: config.temporal.taskQueue }),
      ...createRetentionActivities({ dataSource, documentsTerm: config.retention.documents, documentStore: documentStoreFor(dataSource, config.documents) }),
      // Payment steps: the provider of this deployment; its webhooks go to the gateway.
      ...createPaymentActivities({
        dataSource,
        provider: { url: config.payments.providerUrl, token: config.payments.providerToken, timeoutMs: config.payments.timeoutMs },
        webhookUrl: `${config.gateway.publicUrl}/callbacks/payments`,
      }),
    },
    maxConcurrentActivityTaskExecutions: 200,
    // Cached journeys answer without replaying their history; each costs memory (about 0.4 MB),
    // so the cache is bounded: 10,000 open journeys stay under 1 GiB (see the benchmark).
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    // After SIGTERM the activities in flight get this long to finish (then they are cancelled and
    // retried elsewhere); within Kubernetes' grace, so the worker leaves before it is killed.
    shutdownGraceTime: config.shutdownGraceMs,
    // And if something still hangs (a poll, an activity ignoring cancellation), the run ends anyway.
    shutdownForceTime: config.shutdownGraceMs + 5_000,
  });
}
