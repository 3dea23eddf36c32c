/**
 * A decision the rule referred to a caseworker is told when the caseworker decides, as an automatic
 * decision is (gateway, worker, dispatcher and sandbox as processes, mail through the sandbox's SMTP
 * server): one `decision.made` e-mail with the outcome, the caseworker's explanation and, when the
 * step declares an objection term, until when to object; nothing for the referral itself.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';
import type { Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { sandboxRequest, startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

const run = randomUUID().slice(0, 6);
const agency = `referrer-${run}`;
const titles = (nl: string) => ({ nl, fr: `${nl} (fr)`, de: `${nl} (de)`, en: `${nl} (en)` });
const LOCALE: Record<string, string> = { nl: 'nl-BE', fr: 'fr-BE', de: 'de-BE', en: 'en-GB' };
const REFUSED: Record<string, string> = { nl: 'geweigerd', fr: 'refusé', de: 'abgelehnt', en: 'refused' };
const GRANTED: Record<string, string> = { nl: 'toegekend', fr: 'accordé', de: 'gewährt', en: 'granted' };
const BY_CASEWORKER: Record<string, string> = {
  nl: 'Een medewerker heeft uw dossier bekeken en deze beslissing genomen.',
  fr: 'Un collaborateur a examiné votre dossier et a pris cette décision.',
  de: 'Ein Sachbearbeiter hat Ihre Akte geprüft und diese Entscheidung getroffen.',
  en: 'A caseworker looked at your file and made this decision.',
};
const REMEDY = /bezwaar|réclamation|Widerspruch|object/i;
const REFERRAL_TEXT = 'Een medewerker beslist over uw aanvraag.';

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let stack: Stack;
let caseworker: Api, citizen: Api;
let subject: string;
let email: string;

const sandbox = (method: string, route: string, body?: unknown) => sandboxRequest(stack, method, route, body);
const mailbox = async (to: string): Promise<any[]> => (await sandbox('GET', `/_sandbox/mail?to=${encodeURIComponent(to)}`)).messages;

beforeAll(async () => {
  db = await createTestDatabase('e2e_referral_message');
  stack = await startStack(db.url, 'referral-message', { dispatcher: true });
  ds = createDataSource(db.url);
  await ds.initialize();
  const examples = await sandbox('GET', '/_sandbox/population/examples');
  subject = examples.flemishCouple.parents[1];
  email = (await sandbox('GET', `/_sandbox/population/persons/${subject}`)).contact.email;
  const admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency, sub: 'cw-anna' }));
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: subject, sub: 'citizen-1' }));

  expect((await admin.post('/agencies', { code: agency, names: titles('Uitbetaler') })).status).toBe(201);
  // Low income: granted by the rule; anything else: a caseworker decides.
  const rule = {
    id: `benefit-${run}`,
    version: 1,
    branches: [{ when: { '==': [{ var: 'data.income' }, 'low'] }, outcome: 'grant', explanation: titles('Laag inkomen.') }],
    otherwise: { outcome: 'refer', explanation: titles(REFERRAL_TEXT) },
  };
  const steps = [
    { key: 'benefit', kind: 'decision', titles: titles('Toelage'), serviceNorm: { target: 'P10D' }, rule, objection: { term: 'P30D' } },
    // Without an objection term: its message names no remedy.
    { key: 'plain', kind: 'decision', titles: titles('Premie'), serviceNorm: { target: 'P10D' }, rule },
  ];
  for (const step of steps) {
    expect((await admin.post(`/agencies/${agency}/steps`, step)).status).toBe(201);
    expect((await admin.post(`/agencies/${agency}/steps/${step.key}/versions/1/publish`)).status).toBe(200);
  }
  for (const key of ['benefit', 'plain']) {
    const lifeEvent = `${key}-${run}`;
    expect((await admin.post('/life-events', { key: lifeEvent, audience: 'citizen', titles: titles(lifeEvent), nodes: [{ key: 'decide', step: { agency, key, version: 1 } }] })).status).toBe(201);
    expect((await admin.post(`/life-events/${lifeEvent}/versions/1/publish`)).status).toBe(200);
  }
});

afterAll(async () => {
  await stack?.stop();
  await ds?.destroy();
  await db?.drop();
});

async function start(lifeEvent: string): Promise<string> {
  const res = await citizen.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: subject }, data: { income: 'unknown' } }, { 'idempotency-key': randomUUID() });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
async function decide(journey: string, outcome: 'approve' | 'reject', comment?: string) {
  const task = `${journey}.decide`;
  await pollUntil(`task ${task} open`, async () => ['open', 'claimed'].includes((await ds.query(`SELECT status FROM tasks WHERE id = $1`, [task]))[0]?.status));
  expect((await caseworker.post(`/tasks/${task}/complete`, { outcome, ...(comment ? { comment } : {}) })).status).toBe(200);
}
const sentMails = (journey: string, category: string) =>
  ds.query(
    `SELECT d.id, d.body, d.status, d.language FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
      WHERE n.journey_id = $1 AND n.category = $2 AND d.channel = 'email' ORDER BY d.address`,
    [journey, category],
  ) as Promise<Array<{ id: string; body: string; status: string; language: string }>>;
const delivered = (journey: string, category: string) =>
  pollUntil(`an e-mail of ${category} delivered`, async () => {
    const rows = await sentMails(journey, category);
    return rows.length === 1 && rows[0].status === 'delivered' ? rows : undefined;
  }, { timeoutMs: 90_000 });
/** Every message of the journey fanned out and nothing left to send: what was not sent by now is not sent. */
const settled = (journey: string) =>
  pollUntil(`the messages of ${journey} settled`, async () => {
    const [r] = await ds.query(
      `SELECT (SELECT count(*)::int FROM notifications WHERE journey_id = $1 AND fanned_out_at IS NULL)
            + (SELECT count(*)::int FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = $1 AND d.channel = 'email' AND d.status NOT IN ('delivered', 'expired', 'permanent_failure')) AS open`,
      [journey],
    );
    return r.open === 0;
  }, { timeoutMs: 90_000 });
const decisionMessages = async (journey: string) =>
  (await ds.query(`SELECT count(*)::int AS n FROM notifications WHERE journey_id = $1 AND category = 'decision.made'`, [journey]))[0].n as number;

describe("a caseworker's decision on a referral", () => {
  test('the referral itself tells the citizen nothing; the refusal is told once, with the outcome, the explanation and until when to object', async () => {
    const journey = await start(`benefit-${run}`);
    await pollUntil('the referral task open', async () => (await ds.query(`SELECT 1 FROM tasks WHERE id = $1 AND status = 'open'`, [`${journey}.decide`])).length === 1);
    expect(await decisionMessages(journey)).toBe(0);

    await decide(journey, 'reject', 'Uw inkomen is hoger dan de grens.');
    const [mail] = await delivered(journey, 'decision.made');
    // The workflow recorded the decision and the remedy with the caseworker's answer: 30 days from it.
    const [event] = await ds.query(`SELECT at, detail FROM journey_events WHERE journey_id = $1 AND type = 'step.rejected'`, [journey]);
    expect(event.detail).toMatchObject({ by: 'cw-anna', referred: true, outcome: 'deny' });
    expect(event.detail.remedy).toEqual({ kind: 'objection', until: new Date(new Date(event.at).getTime() + 30 * 86_400_000).toISOString() });
    const until = new Date(event.detail.remedy.until).toLocaleDateString(LOCALE[mail.language], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Brussels' });

    const received = (await mailbox(email)).filter((m) => m.messageId === `<${mail.id}@levensloop.local>`);
    expect(received).toHaveLength(1);
    const text: string = received[0].text;
    expect(text).toContain(`: ${REFUSED[mail.language]}.`);
    expect(text).toContain(BY_CASEWORKER[mail.language]);
    expect(text).toContain('Uw inkomen is hoger dan de grens.');
    expect(text).not.toContain(REFERRAL_TEXT);
    expect(text).toMatch(REMEDY);
    expect(text).toContain(until);
    expect(text).toContain(`/journeys/${journey}`);

    // Once: one message for the decision, however long we look.
    await settled(journey);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await decisionMessages(journey)).toBe(1);
    expect((await mailbox(email)).filter((m) => m.messageId === `<${mail.id}@levensloop.local>`)).toHaveLength(1);
    // The citizen finds it among their messages too.
    const mine = (await citizen.get('/me/notifications?lang=en')).body.items.filter((n: any) => n.journeyId === journey).map((n: any) => n.category);
    expect(mine.filter((c: string) => c === 'decision.made')).toHaveLength(1);
  });

  test('a grant without a comment on a step without an objection term says a caseworker decided, and names no remedy', async () => {
    const journey = await start(`plain-${run}`);
    await decide(journey, 'approve');
    const [mail] = await delivered(journey, 'decision.made');
    const [event] = await ds.query(`SELECT detail FROM journey_events WHERE journey_id = $1 AND type = 'step.completed'`, [journey]);
    expect(event.detail).toEqual({ by: 'cw-anna', referred: true, outcome: 'grant' });
    const received = (await mailbox(email)).find((m) => m.messageId === `<${mail.id}@levensloop.local>`);
    expect(received?.text).toContain(`: ${GRANTED[mail.language]}.`);
    expect(received?.text).toContain(BY_CASEWORKER[mail.language]);
    expect(received?.text).not.toMatch(REMEDY);
    expect(mail.body).not.toMatch(REMEDY);
    await settled(journey);
    expect(await decisionMessages(journey)).toBe(1);
  });
});
