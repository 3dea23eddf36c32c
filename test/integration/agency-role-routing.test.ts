/**
 * A step named by agency role on a real Temporal server and worker, with real PostgreSQL and the
 * sandbox's registers: the journey reads the subject's municipality from the address register,
 * routes the step to the agency serving it and pins that agency's version; a municipality that
 * is no agency makes the step need attention until a retry finds one that offers it.
 * (With RECORD_HISTORIES its history is a replay fixture: test/fixtures/histories.)
 */
import { randomUUID } from 'node:crypto';
import { completeTaskUpdate, journeyStateQuery, resolveAttentionUpdate, type JourneyResult } from '@levensloop/contracts/workflow';
import { roleReference, type LifeEventSnapshot } from '@levensloop/domain';
import { CatalogService } from '@levensloop/catalog';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';
import { recordHistory } from '../support/histories';
import { pollUntil } from '../support/poll';

jest.setTimeout(120_000);

let jw: JourneyWorker;
let catalog: CatalogService;
const BRUSSELS = '21004';
const KEY = 'register-new-resident';
const step = () => ({ key: KEY, kind: 'caseworker' as const, titles: { nl: 'Inschrijving', en: 'Registration' }, serviceNorm: { target: 'P5D' } });

beforeAll(async () => {
  jw = await startJourneyWorker('agency-role-routing', { agencies: [], sources: true });
  catalog = new CatalogService(jw.dataSource);
  await catalog.createAgency('municipality', { nl: 'Gemeente' });
  await catalog.createAgency('gent', { nl: 'Gent', en: 'Ghent' }, [], { municipality: '44021' });
  await catalog.createStepDraft('gent', step());
  await catalog.publishStep('gent', KEY, 1);
});

afterAll(() => jw?.close());

async function residentOf(code: string): Promise<string> {
  const res = await fetch(`${jw.sandboxUrl}/_sandbox/population/persons?municipalityCode=${code}&limit=1`);
  return ((await res.json()) as { nationalNumbers: string[] }).nationalNumbers[0];
}

test('a step routed by role needs attention where no agency serves the subject, and runs at the agency found on retry', async () => {
  // What the catalog pins at start: the role's reference, planned with the offering agency's step.
  const snap: LifeEventSnapshot = {
    key: `it-settle-${randomUUID().slice(0, 8)}`,
    version: 1,
    audience: 'citizen',
    titles: { nl: 'Zich vestigen' },
    nodes: [{ key: 'register', step: roleReference('municipality', KEY), definition: { ...step(), agency: 'municipality', version: 0 } }],
  };
  const resident = await residentOf(BRUSSELS);
  const { journeyId, handle } = await jw.startJourney(snap, {}, { subject: { type: 'person', id: resident } });

  const attention = (await jw.waitForStep(handle, 'register', 'needs_attention')) as { agency: string; error: string };
  expect(attention.agency).toBe('municipality');
  expect(attention.error).toMatch(/^No agency serves municipality NIS 21004 \(from the address-register\), so step 'register-new-resident' is not offered there/);
  // The read was logged as every register read: requested, then granted.
  const log = await jw.dataSource.query(`SELECT source, fields, outcome FROM data_access_log WHERE journey_id = $1 ORDER BY id`, [journeyId]);
  expect(log).toEqual([
    { source: 'address-register', fields: ['municipalityCode'], outcome: 'requested' },
    { source: 'address-register', fields: ['municipalityCode'], outcome: 'granted' },
  ]);

  await catalog.createAgency('brussel', { nl: 'Brussel', fr: 'Bruxelles', de: 'Brüssel', en: 'Brussels' }, [], { municipality: BRUSSELS });
  await catalog.createStepDraft('brussel', { ...step(), serviceNorm: { target: 'P10D' } });
  await catalog.publishStep('brussel', KEY, 1);
  await handle.executeUpdate(resolveAttentionUpdate, { args: [{ nodeKey: 'register', action: 'retry', by: 'cw-municipality' }] });

  const waiting = (await jw.waitForStep(handle, 'register', 'waiting')) as { agency: string };
  expect(waiting.agency).toBe('brussel');
  const state = await handle.query(journeyStateQuery);
  expect(state.timeline.find((e) => e.type === 'step.routed')).toMatchObject({
    step: 'register',
    detail: { agency: 'brussel', served: BRUSSELS, version: 1, explanation: { en: 'routed to Brussels (NIS 21004), from the address register', fr: "confié à Bruxelles (INS 21004), selon le registre d'adresses" } },
  });
  // Brussels' own version is pinned: its ten-day norm, not the five days of the plan.
  const register = state.steps.find((s) => s.key === 'register')!;
  expect(Date.parse(register.dueAt!) - Date.parse(register.startedAt!)).toBe(10 * 86_400_000);
  // The task and the journey are Brussels' in the read model: once its only role step is routed,
  // the role's placeholder agency no longer shares the journey (routed-agencies.ts).
  const task = await pollUntil('the task row', async () => (await jw.dataSource.query(`SELECT agency FROM tasks WHERE journey_id = $1`, [journeyId]))[0]);
  expect(task).toEqual({ agency: 'brussel' });
  const [journey] = await jw.dataSource.query(`SELECT agencies FROM journeys WHERE id = $1`, [journeyId]);
  expect(journey.agencies).toEqual(['brussel']);

  await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'register', outcome: 'approve', by: 'cw-brussel' }] });
  const result: JourneyResult = await handle.result();
  expect(result.status).toBe('completed');
  expect(result.steps.register).toMatchObject({ agency: 'brussel', status: 'completed' });
  await recordHistory('agency-role-routing', handle);
});
