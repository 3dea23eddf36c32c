import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DataSource } from 'typeorm';
import * as fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { createJourneyActivities, createSourceEventActivities } from '@levensloop/activities';
import { loadConfig, type LevensloopConfig } from '@levensloop/config';
import { createDataSource } from '@levensloop/persistence';
import { createSourceClient } from '@levensloop/sources';
import { lazyClient } from '@levensloop/temporal';
import { workerBase } from '@levensloop/temporal/worker';
import { buildWorkflowBundle, bundlePath } from '../../apps/worker/src/workflow-bundle';
import { DEFAULT_SOURCES_TOKEN, startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../apps/sandbox/src/app';
import { createGateway, listenGateway } from '../../apps/gateway/src/bootstrap';
import { createTestDatabase, runtimeUrlOf } from './database';
import { Api } from './http';

export interface InProcessGateway {
  /** The test database, to seed and to check rows. */
  ds: DataSource;
  sandbox: RunningSandbox;
  baseUrl: string;
  /** The internal listener (/metrics, /docs), when GATEWAY_INTERNAL_PORT was given. */
  internalUrl?: string;
  /** A client signed in through the sandbox issuer with these claims. */
  as(claims: Record<string, unknown>): Promise<Api>;
  close(): Promise<void>;
}

/**
 * The gateway in this process, configured as it reads its environment, on a fresh test database
 * and the sandbox, with a worker of its own task queue: journeys and source events are processed
 * by their workflows, whose projections write the read model.
 */
export async function startInProcessGateway(
  name: string,
  env: Record<string, string> = {},
  sandboxOptions: Partial<StartSandboxOptions> = {},
  options: { worker?: boolean } = {},
): Promise<InProcessGateway> {
  const db = await createTestDatabase(`it_${name.replace(/-/g, '_')}`);
  const ds = createDataSource(db.url);
  await ds.initialize();
  const sandbox = await startSandbox({ port: 0, ...sandboxOptions });
  let app: INestApplication | undefined;
  let internal: Server | undefined;
  let worker: { stop: () => Promise<void> } | undefined;
  const close = async () => {
    await app?.close();
    await worker?.stop();
    await sandbox.close();
    await ds.destroy();
    await db.drop();
  };
  try {
    const config = loadConfig({
      DATABASE_URL: runtimeUrlOf(db.url), // as the processes connect: the logs are append-only for it
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: `it-${name}-${Date.now()}`,
      OIDC_ISSUER: `${sandbox.url}/oidc`,
      SANDBOX_URL: sandbox.url,
      // The sandbox's registers (the gateway reads them to confirm a mandate's relation).
      SOURCES_URL: `${sandbox.url}/sources`,
      SOURCES_TOKEN: DEFAULT_SOURCES_TOKEN,
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_PRINCIPAL: '1000000/60',
      RATE_LIMIT_PER_ADDRESS: '1000000/60',
      ...env,
    });
    // Without a worker (`worker: false`), journeys start and wait: nothing projects them.
    if (options.worker !== false) worker = await startInProcessWorker(config);
    app = await createGateway(config);
    internal = await listenGateway(app as NestExpressApplication, config);
  } catch (err) {
    await close();
    throw err;
  }
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const as = async (claims: Record<string, unknown>) => {
    const res = await fetch(`${sandbox.url}/oidc/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims) });
    if (!res.ok) throw new Error(`dev-token: ${res.status} ${await res.text()}`);
    return new Api(baseUrl, ((await res.json()) as { access_token: string }).access_token);
  };
  const internalUrl = internal ? `http://127.0.0.1:${(internal.address() as AddressInfo).port}` : undefined;
  return { ds, sandbox, baseUrl, internalUrl, as, close };
}

/** A worker on the gateway's task queue, with the journey and source-event activities, as the worker process wires them. */
async function startInProcessWorker(config: LevensloopConfig): Promise<{ stop: () => Promise<void> }> {
  const dataSource = createDataSource(config.databaseUrl);
  await dataSource.initialize();
  const prebuilt = bundlePath();
  const client = lazyClient(config.temporal);
  const worker = await Worker.create({
    ...(await workerBase(config.temporal)),
    taskQueue: config.temporal.taskQueue,
    workflowBundle: fs.existsSync(prebuilt) ? { codePath: prebuilt } : await buildWorkflowBundle(),
    activities: {
      ...createJourneyActivities({ dataSource, agencyTimeoutMs: config.agencyCalls.timeoutMs, agencyCalls: config.agencyCalls, sources: createSourceClient(config.sources) }),
      ...createSourceEventActivities({ dataSource, client, taskQueue: config.temporal.taskQueue, config }),
    },
  });
  const running = worker.run();
  return {
    stop: async () => {
      worker.shutdown();
      await running;
      await Promise.allSettled([dataSource.destroy(), client.connection.close(), worker.connection?.close()]);
    },
  };
}
