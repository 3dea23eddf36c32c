/**
 * Teams as catalog data (issue 15, part 4), on the gateway in-process (real PostgreSQL and
 * Temporal): an agency registers its teams with names in the four languages (once each,
 * audited); a step naming a team the agency does not have is refused with the teams that exist;
 * a supervisor reassigns a task only to one of them. An agency that registered none keeps free
 * team codes (steps written before).
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';

jest.setTimeout(120_000);

const t = (en: string) => ({ nl: `${en} (nl)`, fr: `${en} (fr)`, de: `${en} (de)`, en });
const AGENCY = 'teams-agency';

let gateway: InProcessGateway;
let ds: DataSource;
let admin: Api, agencyAdmin: Api, otherAdmin: Api, citizen: Api, supervisor: Api;
let subject: string;

beforeAll(async () => {
  gateway = await startInProcessGateway('agency-teams');
  ds = gateway.ds;
  const examples = (await (await fetch(`${gateway.sandbox.url}/_sandbox/population/examples`)).json()) as { personWithoutContact: string };
  subject = examples.personWithoutContact;
  [admin, agencyAdmin, otherAdmin, citizen, supervisor] = await Promise.all([
    gateway.as({ role: 'catalog-admin', sub: 'admin' }),
    gateway.as({ role: 'agency-admin', agency: AGENCY, sub: 'aa-teams' }),
    gateway.as({ role: 'agency-admin', agency: 'bank', sub: 'aa-bank' }),
    gateway.as({ role: 'citizen', nationalNumber: examples.personWithoutContact, sub: 'citizen-1' }),
    gateway.as({ role: 'supervisor', agency: AGENCY, sub: 'sv-teams' }),
  ]);
  expect((await admin.post('/agencies', { code: AGENCY, names: t('Teams agency') })).status).toBe(201);
  expect((await admin.post('/agencies', { code: 'free-teams', names: t('Free teams') })).status).toBe(201);
});

afterAll(async () => {
  await gateway?.close();
});

const step = (key: string, team?: string) => ({ key, kind: 'caseworker', titles: t(key), serviceNorm: { target: 'P10D' }, ...(team ? { team } : {}) });

test('an agency registers its teams, named in the four languages, once each; everyone signed in lists them', async () => {
  const intake = await admin.post(`/agencies/${AGENCY}/teams`, { code: 'intake', names: t('Intake') });
  expect(intake.status).toBe(201);
  expect(intake.body).toMatchObject({ agency: AGENCY, code: 'intake', names: t('Intake') });
  expect((await agencyAdmin.post(`/agencies/${AGENCY}/teams`, { code: 'appeals', names: t('Appeals') })).status).toBe(201);

  expect(expectProblem(await otherAdmin.post(`/agencies/${AGENCY}/teams`, { code: 'x-team', names: t('X') }), 403).detail).toMatch(/agency admin of 'bank'/);
  expect(expectProblem(await admin.post(`/agencies/${AGENCY}/teams`, { code: 'intake', names: t('Intake again') }), 409).detail).toMatch(/has a team 'intake' already/);
  expect(expectProblem(await admin.post(`/agencies/${AGENCY}/teams`, { code: 'Not A Team', names: { nl: 'Alleen nl' } }), 422).errors).toEqual([
    { path: '/code', message: expect.stringMatching(/is not valid: lowercase letters/) },
    { path: '/names', message: 'a team is named in the four languages: add fr, de, en' },
  ]);
  expectProblem(await admin.post(`/agencies/${AGENCY}/teams`, { code: 'intake' }), 400);
  expectProblem(await admin.post('/agencies/no-such-agency/teams', { code: 'intake', names: t('Intake') }), 404);

  const listed = await citizen.get(`/agencies/${AGENCY}/teams`);
  expect(listed.status).toBe(200);
  expect(listed.body.map((team: { code: string; names: unknown }) => [team.code, team.names])).toEqual([
    ['appeals', t('Appeals')],
    ['intake', t('Intake')],
  ]);
  const [audit] = await ds.query(`SELECT actor, detail FROM audit_log WHERE action = 'agency.team_registered' AND target_id = $1 AND detail->>'team' = 'appeals'`, [AGENCY]);
  expect(audit).toEqual({ actor: 'aa-teams', detail: { team: 'appeals', names: t('Appeals') } });
});

test("a step naming a team its agency does not have is refused, naming the agency's teams; a registered team is taken", async () => {
  const refused = await admin.post(`/agencies/${AGENCY}/steps`, step('review', 'intake-ghent'));
  expect(expectProblem(refused, 422).errors).toEqual([
    { path: '/team', message: `agency '${AGENCY}' has no team 'intake-ghent': its teams are 'appeals', 'intake' (register a new one with POST /agencies/${AGENCY}/teams)` },
  ]);
  expect((await admin.post(`/agencies/${AGENCY}/steps`, step('review', 'intake'))).status).toBe(201);
  // A draft changed to an unknown team is refused the same way.
  expect(expectProblem(await admin.put(`/agencies/${AGENCY}/steps/review/versions/1`, step('review', 'nobody')), 422).errors).toEqual([{ path: '/team', message: expect.stringMatching(/has no team .nobody./) }]);
  // A draft saved before the agency registered its teams is checked again when published.
  expect((await admin.post('/agencies/free-teams/steps', step('early', 'later-gone'))).status).toBe(201);
  expect((await admin.post('/agencies/free-teams/teams', { code: 'intake', names: t('Intake') })).status).toBe(201);
  expect(expectProblem(await admin.post('/agencies/free-teams/steps/early/versions/1/publish'), 422).errors).toEqual([
    { path: '/team', message: expect.stringContaining("has no team 'later-gone': its teams are 'intake'") },
  ]);
  // An agency that registered no team keeps free team codes.
  expect((await admin.post('/agencies', { code: 'no-teams', names: t('No teams') })).status).toBe(201);
  expect((await admin.post('/agencies/no-teams/steps', step('review', 'anything'))).status).toBe(201);
});

test("a supervisor reassigns a task only to one of the agency's teams", async () => {
  expect((await admin.post(`/agencies/${AGENCY}/steps/review/versions/1/publish`)).status).toBe(200);
  const key = `teams-${randomUUID().slice(0, 8)}`;
  expect((await admin.post('/life-events', { key, audience: 'citizen', titles: t('Teams'), nodes: [{ key: 'review', step: { agency: AGENCY, key: 'review', version: 1 } }] })).status).toBe(201);
  expect((await admin.post(`/life-events/${key}/versions/1/publish`)).status).toBe(200);
  const started = await citizen.post('/journeys', { lifeEvent: { key }, subject: { type: 'person', id: subject } }, { 'idempotency-key': key });
  expect(started.status).toBe(201);
  const taskId = `${started.body.id}.review`;
  await pollUntil('the task', async () => ((await ds.query(`SELECT 1 FROM tasks WHERE id = $1`, [taskId])).length ? true : undefined));

  const unknown = await supervisor.post(`/tasks/${taskId}/reassign`, { team: 'intake-ghent' });
  expect(expectProblem(unknown, 422).errors).toEqual([{ path: '/team', message: expect.stringContaining("its teams are 'appeals', 'intake'") }]);
  const moved = await supervisor.post(`/tasks/${taskId}/reassign`, { team: 'appeals' });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ team: 'appeals', status: 'open' });
});
