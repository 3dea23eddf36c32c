import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createJourneyActivities } from '@levensloop/activities';
import { CatalogService } from '@levensloop/catalog';
import { initialSearchAttributes, JOURNEY_REVISION, JOURNEY_WORKFLOW_TYPE, journeyStateQuery, type JourneyActivities, type JourneyInput } from '@levensloop/contracts/workflow';
import type { LifeEventSnapshot } from '@levensloop/domain';
import { createDataSource } from '@levensloop/persistence';
import { startSandbox } from '../../apps/sandbox/src/app';
import { buildWorkflowBundle } from '../../apps/worker/src/workflow-bundle';
import { createTestDatabase } from './database';
import { pollUntil } from './poll';

export interface JourneyWorker {
  dataSource: DataSource;
  sandboxUrl: string;
  client: Client;
  agencyUrl(agency: string, service: string): string;
  /** Sets (or with null clears) the sandbox's behaviour of one agency service. */
  setBehaviour(agency: string, service: string, behaviour: Record<string, unknown> | null): Promise<void>;
  /** Starts a journey of this snapshot as the gateway starts them (this revision, its search attributes); `extra` overrides input fields. */
  startJourney(snap: LifeEventSnapshot, data?: Record<string, unknown>, extra?: Partial<JourneyInput>): Promise<{ journeyId: string; handle: WorkflowHandle }>;
  waitForStep(handle: WorkflowHandle, key: string, status: string, timeoutMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * The journey workflow on the real Temporal server with a worker in this process, real
 * PostgreSQL for the read model and the sandbox's agencies over HTTP. `wrap` may put itself
 * around the real activities (to delay or fail one, as a slow or lost activity would).
 */
export async function startJourneyWorker(name: string, wrap: (real: JourneyActivities) => JourneyActivities = (real) => real): Promise<JourneyWorker> {
  const agencies = ['test-agency'];
  const signingKeys = new Map(agencies.map((code) => [code, randomBytes(32)]));
  const db = await createTestDatabase(`it_${name.replace(/-/g, '_')}`);
  const dataSource = createDataSource(db.url);
  await dataSource.initialize();
  const sandbox = await startSandbox({ port: 0, agencySigningKeys: signingKeys });
  const sandboxHost = new URL(sandbox.url).host;
  const catalog = new CatalogService(dataSource);
  for (const code of agencies) await catalog.createAgency(code, { nl: code }, [sandboxHost]);
  const taskQueue = `it-${name}-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: await buildWorkflowBundle(),
    activities: wrap(
      createJourneyActivities({
        dataSource,
        agencyTimeoutMs: 5000,
        agencyCalls: { allowedInternalHosts: [sandboxHost], signingKeys, hostsCacheMs: 0 },
      }),
    ),
  });
  const workerRun = worker.run();
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const client = new Client({ connection });

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
      const journeyId = randomUUID();
      const input: JourneyInput = {
        journeyId,
        snapshot: snap,
        subject: { type: 'person', id: '85073003328' },
        data,
        startedBy: 'integration-test',
        startedAt: new Date().toISOString(),
        idempotencyKey: `it:${journeyId}`,
        revision: JOURNEY_REVISION,
        ...extra,
      };
      const typedSearchAttributes = initialSearchAttributes(input.snapshot, input.subject);
      const handle = await client.workflow.start(JOURNEY_WORKFLOW_TYPE, { workflowId: `journey-${journeyId}`, taskQueue, args: [input], typedSearchAttributes });
      return { journeyId, handle };
    },
    waitForStep(handle, key, status, timeoutMs) {
      return pollUntil(`step ${key} to be ${status}`, async () => {
        const state = await handle.query(journeyStateQuery);
        return state.steps.find((s) => s.key === key && s.status === status);
      }, timeoutMs ? { timeoutMs } : {});
    },
    async close() {
      worker.shutdown();
      await workerRun;
      await connection.close();
      await sandbox.close();
      await dataSource.destroy();
      await db.drop();
    },
  };
}
