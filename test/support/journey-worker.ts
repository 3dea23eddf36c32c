import { randomBytes, randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createJourneyActivities } from '@levensloop/activities';
import { CatalogService } from '@levensloop/catalog';
import { initialSearchAttributes, JOURNEY_WORKFLOW_TYPE, journeyStateQuery, type JourneyActivities, type JourneyInput } from '@levensloop/contracts/workflow';
import type { LifeEventSnapshot } from '@levensloop/domain';
import { createDataSource } from '@levensloop/persistence';
import { createSourceClient, readSourcesConfig } from '@levensloop/sources';
import { connectClient } from '@levensloop/temporal';
import { workerBase } from '@levensloop/temporal/worker';
import { startSandbox } from '../../apps/sandbox/src/app';
import { buildWorkflowBundle } from '../../apps/worker/src/workflow-bundle';
import { createTestDatabase } from './database';
import { journeyInput } from './journey-input';
import { pollUntil } from './poll';
import { testTemporalConfig } from './temporal';

export interface JourneyWorker {
  dataSource: DataSource;
  sandboxUrl: string;
  client: Client;
  agencyUrl(agency: string, service: string): string;
  /** Sets (or with null clears) the sandbox's behaviour of one agency service. */
  setBehaviour(agency: string, service: string, behaviour: Record<string, unknown> | null): Promise<void>;
  /** Starts a journey of this snapshot as the gateway starts them (see `journeyInput`); `extra` overrides fields of the input. */
  startJourney(snap: LifeEventSnapshot, data?: Record<string, unknown>, extra?: Partial<JourneyInput>): Promise<{ journeyId: string; handle: WorkflowHandle }>;
  waitForStep(handle: WorkflowHandle, key: string, status: string, timeoutMs?: number): Promise<unknown>;
  /** Shuts the worker down (as on SIGTERM) and waits until it has stopped; `close` does it too. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface JourneyWorkerOptions {
  /** Agencies the worker may call, each registered with the sandbox's host and a key both ends know. */
  agencies?: string[];
  /** Of those, agencies whose key only the sandbox knows (the worker cannot sign for them). */
  keyOnlyInSandbox?: string[];
  /** Give the worker the sandbox's authentic sources (registers) too. */
  sources?: boolean;
  /** Put something around the real activities (to delay or fail one, as a slow or lost activity would). */
  wrap?: (real: JourneyActivities) => JourneyActivities;
  /** The worker's `shutdownGraceTime` (the SDK's default otherwise). */
  shutdownGraceTime?: number;
  /** Another Temporal server than TEMPORAL_ADDRESS's (the time-skipping test server): its connections. */
  temporal?: { nativeConnection: NativeConnection; client: Client };
}

/**
 * The journey workflow on the real Temporal server with a worker in this process, real
 * PostgreSQL for the read model and the sandbox's agencies over HTTP.
 */
export async function startJourneyWorker(name: string, options: JourneyWorkerOptions = {}): Promise<JourneyWorker> {
  const { agencies = ['test-agency'], keyOnlyInSandbox = [], wrap = (real) => real } = options;
  const signingKeys = new Map(agencies.map((code) => [code, randomBytes(32)]));
  const db = await createTestDatabase(`it_${name.replace(/-/g, '_')}`);
  const dataSource = createDataSource(db.url);
  await dataSource.initialize();
  const sandbox = await startSandbox({ port: 0, agencySigningKeys: signingKeys });
  const sandboxHost = new URL(sandbox.url).host;
  // The worker checks each call against the agency's endpoint hosts in the catalog.
  const catalog = new CatalogService(dataSource);
  for (const code of agencies) await catalog.createAgency(code, { nl: code }, [sandboxHost]);
  const taskQueue = `it-${name}-${randomUUID()}`;
  const temporalConfig = testTemporalConfig();
  // The time-skipping server's own client has no codec: its worker then speaks plain payloads too.
  const base = options.temporal ? { connection: options.temporal.nativeConnection } : await workerBase(temporalConfig);
  const worker = await Worker.create({
    ...base,
    taskQueue,
    ...(options.shutdownGraceTime !== undefined ? { shutdownGraceTime: options.shutdownGraceTime } : {}),
    workflowBundle: await buildWorkflowBundle(),
    activities: wrap(
      createJourneyActivities({
        dataSource,
        agencyTimeoutMs: 5000,
        agencyCalls: {
          allowedInternalHosts: [sandboxHost],
          signingKeys: new Map([...signingKeys].filter(([code]) => !keyOnlyInSandbox.includes(code))),
          hostsCacheMs: 0,
        },
        ...(options.sources ? { sources: createSourceClient(readSourcesConfig({ SOURCES_URL: `${sandbox.url}/sources`, SOURCES_TOKEN: 'sandbox-sources-token' }).config) } : {}),
      }),
    ),
  });
  const workerRun = worker.run();
  const stopWorker = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun;
  };
  const ownClient = options.temporal ? undefined : await connectClient(temporalConfig);
  const client = options.temporal?.client ?? ownClient!;
  const connection = ownClient?.connection;

  return {
    dataSource,
    sandboxUrl: sandbox.url,
    client,
    agencyUrl: (agency, service) => `${sandbox.url}/agencies/${agency}/${service}`,
    async setBehaviour(agency, service, behaviour) {
      const url = `${sandbox.url}/_sandbox/behaviour/${agency}/${service}`;
      const res = behaviour ? await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(behaviour) }) : await fetch(url, { method: 'DELETE' });
      if (!res.ok) throw new Error(`sandbox behaviour: ${res.status} ${await res.text()}`);
    },
    async startJourney(snap, data = {}, extra = {}) {
      const input = journeyInput(snap, data, extra);
      // Journeys of the first revision were started without search attributes.
      const typedSearchAttributes = input.revision ? initialSearchAttributes(input.snapshot, input.subjectSearchKey!) : undefined;
      const handle = await client.workflow.start(JOURNEY_WORKFLOW_TYPE, { workflowId: `journey-${input.journeyId}`, taskQueue, args: [input], typedSearchAttributes });
      return { journeyId: input.journeyId, handle };
    },
    waitForStep(handle, key, status, timeoutMs) {
      return pollUntil(`step ${key} to be ${status}`, async () => {
        const state = await handle.query(journeyStateQuery);
        return state.steps.find((s) => s.key === key && s.status === status);
      }, timeoutMs ? { timeoutMs } : {});
    },
    stopWorker,
    async close() {
      await stopWorker();
      await connection?.close();
      await sandbox.close();
      await dataSource.destroy();
      await db.drop();
    },
  };
}
