import * as fs from 'node:fs';
import { NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createJourneyActivities } from '@levensloop/activities';
import type { LevensloopConfig } from '@levensloop/config';
import { buildWorkflowBundle, bundlePath } from './workflow-bundle';

let runtimeInstalled = false;

/** Creates the Temporal worker for journeys: the workflow bundle plus the journey activities. */
export async function createJourneyWorker(config: LevensloopConfig, dataSource: DataSource): Promise<Worker> {
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    Runtime.install({
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
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
    activities: createJourneyActivities({ dataSource, agencyTimeoutMs: config.agencyTimeoutMs }),
    maxConcurrentActivityTaskExecutions: 200,
    maxCachedWorkflows: 2000,
  });
}
