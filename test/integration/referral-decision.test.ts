/**
 * A referred decision decided by a caseworker, on the gateway in-process with its worker, a fresh
 * PostgreSQL database and the real Temporal server: the completion of the decision step's task
 * carries the outcome and the remedy (`patched('17G-referral-decision-message')`), and the
 * projection files one `decision.made` message for it in the outbox (the referral itself none).
 * With RECORD_HISTORIES, its history becomes the replay fixture `referral-decided`.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { journeyWorkflowId } from '@levensloop/contracts/workflow';
import { connectClient } from '@levensloop/temporal';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { recordHistory } from '../support/histories';
import { testTemporalConfig } from '../support/temporal';
import type { Api } from '../support/http';
import { pollUntil } from '../support/poll';

jest.setTimeout(180_000);

const CITIZEN = '85073003328';
const t = (en: string) => ({ nl: `${en} (nl)`, fr: `${en} (fr)`, de: `${en} (de)`, en });

let gateway: InProcessGateway;
let ds: DataSource;
let citizen: Api, caseworker: Api;

beforeAll(async () => {
  gateway = await startInProcessGateway('referral-decision');
  ds = gateway.ds;
  const admin = await gateway.as({ role: 'catalog-admin', sub: 'admin' });
  citizen = await gateway.as({ role: 'citizen', nationalNumber: CITIZEN, sub: 'citizen-1' });
  caseworker = await gateway.as({ role: 'caseworker', agency: 'rd-payer', sub: 'cw-anna' });
  expect((await admin.post('/agencies', { code: 'rd-payer', names: t('Payer') })).status).toBe(201);
  const rule = {
    id: 'referred-rule',
    version: 1,
    branches: [{ when: { '==': [{ var: 'data.income' }, 'low'] }, outcome: 'grant', explanation: t('Your income is low.') }],
    otherwise: { outcome: 'refer', explanation: t('A caseworker decides.') },
  };
  expect((await admin.post('/agencies/rd-payer/steps', { key: 'benefit', kind: 'decision', titles: t('Benefit'), serviceNorm: { target: 'P10D' }, rule, objection: { term: 'P30D' } })).status).toBe(201);
  expect((await admin.post('/agencies/rd-payer/steps/benefit/versions/1/publish')).status).toBe(200);
  expect((await admin.post('/life-events', { key: 'referred', audience: 'citizen', titles: t('Referred'), nodes: [{ key: 'decide', step: { agency: 'rd-payer', key: 'benefit', version: 1 } }] })).status).toBe(201);
  expect((await admin.post('/life-events/referred/versions/1/publish')).status).toBe(200);
});

afterAll(async () => {
  await gateway?.close();
});

const told = async (journey: string) =>
  (await ds.query(`SELECT category, node_key, data FROM notifications WHERE journey_id = $1 AND category = 'decision.made'`, [journey])) as Array<{ category: string; node_key: string; data: any }>;

test("the caseworker's refusal of a referral files one decision.made message with the outcome, the comment and until when to object", async () => {
  const started = await citizen.post('/journeys', { lifeEvent: { key: 'referred' }, subject: { type: 'person', id: CITIZEN }, data: { income: 'unknown' } }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  const journey = started.body.id as string;
  await pollUntil('the referral task open', async () => (await ds.query(`SELECT 1 FROM tasks WHERE id = $1 AND status = 'open'`, [`${journey}.decide`])).length === 1);
  expect(await told(journey)).toEqual([]);

  expect((await caseworker.post(`/tasks/${journey}.decide/complete`, { outcome: 'reject', comment: 'Your income is above the limit.' })).status).toBe(200);
  const [message] = await pollUntil('the decision told', async () => {
    const rows = await told(journey);
    return rows.length ? rows : undefined;
  });
  const [event] = await ds.query(`SELECT at, detail FROM journey_events WHERE journey_id = $1 AND type = 'step.rejected'`, [journey]);
  const remedy = { kind: 'objection', until: new Date(new Date(event.at).getTime() + 30 * 86_400_000).toISOString() };
  expect(event.detail).toEqual({ by: 'cw-anna', comment: 'Your income is above the limit.', referred: true, outcome: 'deny', remedy });
  expect(message).toEqual({ category: 'decision.made', node_key: 'decide', data: event.detail });
  // The decision as it holds now, and once: a later projection files nothing more.
  expect((await citizen.get(`/journeys/${journey}/decisions`)).body.items[0]).toMatchObject({ node: 'decide', outcome: 'deny', decided: { outcome: 'refer' } });
  await new Promise((r) => setTimeout(r, 1000));
  expect(await told(journey)).toHaveLength(1);

  if (process.env.RECORD_HISTORIES) {
    const client = await connectClient(testTemporalConfig());
    await recordHistory('referral-decided', client.workflow.getHandle(journeyWorkflowId(journey)));
    await client.connection.close();
  }
});
