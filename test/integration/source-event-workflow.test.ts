/**
 * The source-event workflow on a real Temporal server with a real worker (in this process): the
 * change notice reaches each open journey through the SDK's signal exactly once, whatever is
 * retried; a closed journey is reported as such; the outcome is what the recording step answers.
 * The activities are stand-ins (what they do against PostgreSQL is covered end to end).
 */
import { randomUUID } from 'node:crypto';
import type { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { connectClient } from '@levensloop/temporal';
import { workerBase } from '@levensloop/temporal/worker';
import {
  JOURNEY_WORKFLOW_TYPE,
  journeyStateQuery,
  journeyWorkflowId,
  SOURCE_EVENT_WORKFLOW_TYPE,
  sourceEventWorkflowId,
  type EventResult,
  type JourneyActivities,
  type SourceEventActivities,
  type SourceEventInput,
  type SourceEventOutcome,
} from '@levensloop/contracts/workflow';
import { buildWorkflowBundle } from '../../apps/worker/src/workflow-bundle';
import { journeyInput } from '../support/journey-input';
import { pollUntil } from '../support/poll';
import { testTemporalConfig } from '../support/temporal';
import { snapshot, step } from '../support/snapshots';

jest.setTimeout(120_000);

const taskQueue = `it-source-events-${randomUUID()}`;
const SUBJECT = '85073003328';
let worker: Worker;
let workerRun: Promise<void>;
let connection: Connection;
let client: Client;

/** What the stand-in activities were asked, and what they answer. */
const calls: { recorded: EventResult[]; recordFailures: number; open: string[] } = { recorded: [], recordFailures: 0, open: [] };

const journeyActivities: JourneyActivities = {
  callAgency: async () => ({ status: 200, body: {}, replayed: false }),
  projectJourney: async () => undefined,
  prepareStepData: async () => ({ consentNeeded: [], prefilled: [], missing: [] }),
  decide: async () => ({ outcome: 'grant', branch: 0, explanation: { nl: '' } }),
};

const sourceEventActivities: SourceEventActivities = {
  planSourceEvent: async (input) => ({ event: { source: input.source, id: input.eventId, type: 'be.national-register.person.corrected', subject: SUBJECT, time: '2026-12-06T10:00:00.000Z' }, starts: [], skipped: [] }),
  confirmMandates: async () => {
    throw new Error('no mandates in a change');
  },
  launchEventJourney: async () => undefined,
  grantMandates: async () => [],
  annulRegistration: async () => ({ cancelled: [], mandates: [], skipped: [] }),
  openJourneysOf: async () => calls.open,
  recordSourceEventOutcome: async ({ result }) => {
    calls.recorded.push(result);
    // The first recording fails (the database went away): Temporal retries it, nothing before it runs again.
    if (calls.recorded.length === 1) {
      calls.recordFailures++;
      throw new Error('the inbox cannot be written right now');
    }
    return { status: 'processed', result };
  },
};

beforeAll(async () => {
  worker = await Worker.create({
    ...(await workerBase(testTemporalConfig())),
    taskQueue,
    workflowBundle: await buildWorkflowBundle(),
    activities: { ...journeyActivities, ...sourceEventActivities },
  });
  workerRun = worker.run();
  client = await connectClient(testTemporalConfig());
  connection = client.connection as Connection;
});

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await connection?.close();
});

async function startWaitingJourney(): Promise<string> {
  const input = journeyInput(snapshot('correction', [step('visit', 'caseworker')]), {}, { subject: { type: 'person', id: SUBJECT } });
  const journeyId = input.journeyId;
  const handle = await client.workflow.start(JOURNEY_WORKFLOW_TYPE, { workflowId: journeyWorkflowId(journeyId), taskQueue, args: [input] });
  await pollUntil('the visit to wait', async () => (await handle.query(journeyStateQuery)).steps[0]?.status === 'waiting');
  return journeyId;
}

test('a correction tells each open journey once (a retried step sends nothing again), and a journey that is gone is reported closed', async () => {
  const open = await startWaitingJourney();
  const gone = randomUUID();
  calls.open = [open, gone];
  const input: SourceEventInput = { source: 'national-register', eventId: randomUUID(), kind: 'correct', annulledBy: [] };
  const handle = await client.workflow.start(SOURCE_EVENT_WORKFLOW_TYPE, { workflowId: sourceEventWorkflowId(input.source, input.eventId), taskQueue, args: [input] });

  // The same event started again while it runs lands on the same workflow.
  const again = await client.workflow.start(SOURCE_EVENT_WORKFLOW_TYPE, { workflowId: handle.workflowId, taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING' });
  expect(again.firstExecutionRunId).toBe(handle.firstExecutionRunId);

  const outcome: SourceEventOutcome = await handle.result();
  expect(outcome).toEqual({
    status: 'processed',
    result: { started: [], cancelled: [], mandates: [], skipped: [], signalled: [{ journeyId: open, outcome: 'signalled' }, { journeyId: gone, outcome: 'closed' }] },
  });
  expect(calls.recordFailures).toBe(1);
  expect(calls.recorded).toHaveLength(2);

  const history = await client.workflow.getHandle(journeyWorkflowId(open)).fetchHistory();
  const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
  expect(signals.map((e) => e.workflowExecutionSignaledEventAttributes!.signalName)).toEqual(['sourceEvent']);
  const live = await client.workflow.getHandle(journeyWorkflowId(open)).query(journeyStateQuery);
  expect(live.timeline.find((e) => e.type === 'journey.source_event')?.detail).toMatchObject({ source: 'national-register', eventId: input.eventId, type: 'be.national-register.person.corrected' });
});
