import * as fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString, type LogLevel } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createJourneyActivities, createSourceEventActivities } from '@levensloop/activities';
import { createLogRedactor, type LevensloopConfig } from '@levensloop/config';
import { createSourceClient } from '@levensloop/sources';
import { buildWorkflowBundle, bundlePath } from './workflow-bundle';

let runtimeInstalled = false;

/** Creates the Temporal worker: the workflow bundle (journeys, source events) plus their activities. */
export async function createJourneyWorker(config: LevensloopConfig, dataSource: DataSource): Promise<Worker> {
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
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const prebuilt = bundlePath();
  const workflowBundle = fs.existsSync(prebuilt) ? { codePath: prebuilt } : await buildWorkflowBundle();
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle,
    activities: {
      ...createJourneyActivities({
        dataSource,
        agencyTimeoutMs: config.agencyCalls.timeoutMs,
        agencyCalls: config.agencyCalls,
        sources: createSourceClient(config.sources),
      }),
      // Source events start journeys (the journey launcher) and cancel them through Temporal's client.
      ...createSourceEventActivities({
        dataSource,
        client: new Client({ connection: Connection.lazy({ address: config.temporal.address }), namespace: config.temporal.namespace }),
        taskQueue: config.temporal.taskQueue,
        config,
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
