/**
 * A message that cannot be delivered reaches the person anyway, on real PostgreSQL with the
 * sandbox's far ends and the gateway's callbacks: an e-mail to a designated bouncing mailbox is
 * taken by the SMTP sink, the mail side posts a signed bounce to `POST /callbacks/email`, the
 * dispatcher fails the e-mail for good and sends the message once by SMS; an SMS to a number out of
 * service goes out on paper; when every digital channel fails, one letter. Reports repeated change
 * nothing, two dispatchers at once forward once, a pass that dies before it commits forwards
 * nothing (the next does, once), and an unsigned or malformed report is refused.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig } from '@levensloop/config';
import type { JourneyProjection } from '@levensloop/contracts/workflow';
import { applyJourneyProjection } from '@levensloop/journeys';
import { DeliveryFallbacks } from '@levensloop/persistence';
import { freePort } from '@levensloop/runtime';
import { createSourceClient } from '@levensloop/sources';
import { Dispatcher } from '../../apps/dispatcher/src/dispatcher';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { pollUntil } from '../support/poll';

jest.setTimeout(180_000);

const SECRET = 'test-mail-report-secret';
let gw: InProcessGateway;
let dispatchers: Dispatcher[] = [];
let examples: any;

beforeAll(async () => {
  const port = await freePort();
  gw = await startInProcessGateway(
    'fallback',
    { GATEWAY_PORT: String(port), EMAIL_CALLBACK_SECRET: SECRET, SMS_CALLBACK_SECRET: 'sandbox-sms-secret', RATE_LIMIT_SMS_CALLBACK: '1000000/60' },
    { smtpPort: 0, smsReportDelayMs: 20, mailReports: { url: `http://127.0.0.1:${port}/callbacks/email`, secret: SECRET, delayMs: 20 } },
    { worker: false },
  );
  examples = gw.sandbox.population.examples();
  const env = {
    DATABASE_URL: (gw.ds.options as { url: string }).url,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    OIDC_ISSUER: `${gw.sandbox.url}/oidc`,
    SOURCES_URL: `${gw.sandbox.url}/sources`,
    SOURCES_TOKEN: 'sandbox-sources-token',
    SMTP_URL: `smtp://127.0.0.1:${gw.sandbox.smtpPort}`,
    SMS_GATEWAY_URL: `${gw.sandbox.url}/sms`,
    SMS_GATEWAY_TOKEN: 'sandbox-sms-token',
    SMS_CALLBACK_URL: `${gw.baseUrl}/callbacks/sms`,
    ECOUNTER_URL: `${gw.sandbox.url}/ecounter`,
    ECOUNTER_TOKEN: 'sandbox-ecounter-token',
    CITIZEN_WEB_URL: 'https://mijn.levensloop.example',
    DISPATCHER_POLL_MS: '200',
    DISPATCHER_SCHEDULER_MS: '300',
    DISPATCHER_BACKOFF_MS: '200',
    DISPATCHER_BACKOFF_MAX_MS: '1000',
    LOG_LEVEL: 'warn',
  };
  // Two dispatchers at once: each failure is still forwarded once.
  for (let i = 0; i < 2; i++) {
    const config = loadConfig(env);
    const d = new Dispatcher({ config, sources: createSourceClient(config.sources), logger: pino({ level: 'silent' }) });
    await d.start();
    dispatchers.push(d);
  }
});

afterAll(async () => {
  for (const d of dispatchers) await d.stop();
  dispatchers = [];
  await gw?.close();
});

const at = () => new Date().toISOString();

/** A journey of the read model through the real projection (which writes the outbox): started, and optionally a request to act. */
async function journeyOf(subject: string, options: { actionNeeded?: boolean } = {}) {
  const journeyId = randomUUID();
  const base = {
    journeyId,
    status: 'running',
    subject: { type: 'person', id: subject },
    titles: { proof: { nl: 'Bewijs opladen', fr: 'Envoyer une preuve', de: 'Nachweis hochladen', en: 'Upload a proof' } },
  };
  await applyJourneyProjection(gw.ds, {
    ...base,
    header: {
      idempotencyKey: `it:${journeyId}`,
      lifeEventKey: 'birth',
      lifeEventVersion: 1,
      title: { nl: 'Geboorte van een kind', fr: "Naissance d'un enfant", de: 'Geburt eines Kindes', en: 'Birth of a child' },
      agencies: ['groeipakket'],
      startedAt: at(),
      startedBy: 'test',
      data: {},
    },
    seq: 1,
    steps: [],
    events: [{ seq: 1, at: at(), type: 'journey.started', detail: {} }],
  } as unknown as JourneyProjection);
  if (options.actionNeeded) {
    await applyJourneyProjection(gw.ds, {
      ...base,
      seq: 2,
      steps: [{ key: 'proof', agency: 'groeipakket', kind: 'citizen', status: 'waiting', attempts: 0, startedAt: at(), dueAt: new Date(Date.now() + 30 * 86400_000).toISOString() }],
      events: [{ seq: 2, at: at(), type: 'step.task_created', step: 'proof', detail: { assignee: 'citizen' } }],
    } as unknown as JourneyProjection);
  }
  return journeyId;
}

async function prefer(subject: string, own: { email?: string; phone?: string; channels?: string[] }) {
  await gw.ds.query(
    `INSERT INTO contact_preferences (subject_type, subject_id, language, email, phone, channels, updated_by) VALUES ('person', $1, 'nl', $2, $3, $4, $1)`,
    [subject, own.email ?? null, own.phone ?? null, own.channels ?? null],
  );
}

interface Row {
  id: string;
  category: string;
  channel: string;
  status: string;
  forwarded_to: string | null;
  forwarded_from: string | null;
  last_error: string | null;
}

const rowsOf = (journeyId: string, category?: string): Promise<Row[]> =>
  gw.ds.query(
    `SELECT d.id, n.category, d.channel, d.status, d.forwarded_to, d.forwarded_from, d.last_error FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
      WHERE n.journey_id = $1 AND ($2::text IS NULL OR n.category = $2) ORDER BY d.created_at, d.channel`,
    [journeyId, category ?? null],
  );

const byChannel = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.channel, r]));
const settled = (r: Row | undefined) => !!r && ['delivered', 'permanent_failure', 'expired'].includes(r.status);
const quiet = () => new Promise((resolve) => setTimeout(resolve, 1500));

/** Posts a report to the gateway signed as the mail side signs it. */
async function postReport(body: string, reportId = randomUUID(), secret = SECRET) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${reportId}.`).update(body).digest('hex');
  const res = await fetch(`${gw.baseUrl}/callbacks/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-report-id': reportId, 'x-timestamp': timestamp, 'x-signature': `sha256=${signature}` },
    body,
  });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
}

test('a bounced e-mail goes out once by SMS; the bounce reported again, or twice, changes nothing', async () => {
  const person = examples.brusselsCouple.parents[0];
  const mailbox = `bounce-${person}@example.org`;
  const phone = '+32470555101';
  await prefer(person, { email: mailbox, phone });
  const journeyId = await journeyOf(person);

  const rows = await pollUntil('the e-mail bounced and the SMS delivered', async () => {
    const r = byChannel(await rowsOf(journeyId, 'journey.started'));
    return r.email?.status === 'permanent_failure' && r.sms?.status === 'delivered' ? r : undefined;
  });
  expect(rows.email).toMatchObject({ forwarded_to: 'sms', last_error: expect.stringMatching(/^550 5\.1\.1/) });
  expect(rows.sms).toMatchObject({ forwarded_from: rows.email.id, forwarded_to: null });
  expect(rows.letter).toBeUndefined();
  expect(gw.sandbox.mail.list({ to: mailbox })).toHaveLength(1);
  expect(gw.sandbox.sms.list({ to: phone })).toHaveLength(1);

  // The mail side reports the same bounce again (same report id), and once more under a new id.
  const [sent] = gw.sandbox.mail.list({ to: mailbox });
  const body = JSON.stringify({ messageId: sent.messageId, status: 'bounced', at: at(), error: '550 5.1.1 again' });
  const reportId = randomUUID();
  const first = await postReport(body, reportId);
  expect(first).toMatchObject({ status: 200, body: { delivery: rows.email.id, status: 'permanent_failure', changed: false } });
  expect((await postReport(body, reportId)).body).toEqual(first.body);
  await quiet();
  const after = await rowsOf(journeyId, 'journey.started');
  expect(after.map((r) => [r.channel, r.status, r.forwarded_to]).sort()).toEqual(
    [
      ['ecounter', 'delivered', null],
      ['email', 'permanent_failure', 'sms'],
      ['sms', 'delivered', null],
    ].sort(),
  );
  expect(gw.sandbox.sms.list({ to: phone })).toHaveLength(1);

  // The citizen's message history and the journey's deliveries say where it went.
  const citizen = await gw.as({ role: 'citizen', sub: `citizen-${person}`, nationalNumber: person });
  const mine = await citizen.get(`/me/notifications`);
  const message = mine.body.items.find((n: any) => n.journeyId === journeyId && n.category === 'journey.started');
  expect(message.channels).toEqual(expect.arrayContaining([{ channel: 'email', status: 'permanent_failure', forwardedTo: 'sms' }, { channel: 'sms', status: 'delivered' }]));
  const journeyMessages = await citizen.get(`/journeys/${journeyId}/notifications`);
  expect(journeyMessages.status).toBe(200);
  const deliveries = journeyMessages.body.notifications.flatMap((n: any) => n.deliveries);
  expect(deliveries.find((d: any) => d.channel === 'email')).toMatchObject({ status: 'permanent_failure', forwardedTo: 'sms' });
  expect(deliveries.find((d: any) => d.channel === 'sms')).toMatchObject({ status: 'delivered', forwardedFrom: rows.email.id });
});

test('an SMS to a number out of service (the only channel chosen) goes out once on paper', async () => {
  const person = examples.walloonCouple.parents[0];
  const phone = '+32499001234';
  await prefer(person, { phone, channels: ['sms'] });
  const journeyId = await journeyOf(person, { actionNeeded: true });
  const rows = await pollUntil('the SMS failed and the letter delivered', async () => {
    const r = byChannel(await rowsOf(journeyId, 'action.needed'));
    return r.sms?.status === 'permanent_failure' && r.letter?.status === 'delivered' ? r : undefined;
  });
  expect(rows.sms).toMatchObject({ forwarded_to: 'letter', last_error: expect.stringMatching(/unreachable/) });
  expect(rows.letter.forwarded_from).toBe(rows.sms.id);
  expect(rows.email).toBeUndefined();
  const letters = await gw.ds.query(`SELECT id FROM letters WHERE delivery_id = $1`, [rows.letter.id]);
  expect(letters).toHaveLength(1);
  await quiet();
  expect((await rowsOf(journeyId, 'action.needed')).filter((r) => r.channel === 'letter')).toHaveLength(1);
});

test('every digital channel fails: one letter, after the last of them failed', async () => {
  const person = examples.flemishCouple.parents[0];
  const mailbox = `bounce+${person}@example.org`;
  await prefer(person, { email: mailbox, phone: '+32499009876' });
  const journeyId = await journeyOf(person, { actionNeeded: true });
  const rows = await pollUntil('both failed and the letter delivered', async () => {
    const list = await rowsOf(journeyId, 'action.needed');
    const r = byChannel(list);
    return r.email?.status === 'permanent_failure' && r.sms?.status === 'permanent_failure' && settled(r.letter) && list.length === 4 ? r : undefined;
  });
  expect(rows.letter.status).toBe('delivered');
  // The failure decided last sent the letter (the one before found the other channel still reaching the person, or both chose paper at once: one letter).
  const forwards = [rows.email, rows.sms].filter((r) => r.forwarded_to === 'letter');
  expect(forwards.length).toBeGreaterThanOrEqual(1);
  expect(forwards.map((r) => r.id)).toContain(rows.letter.forwarded_from);
  await quiet();
  expect((await rowsOf(journeyId, 'action.needed')).filter((r) => r.channel === 'letter')).toHaveLength(1);
});

test('a fallback pass that dies before it commits forwards nothing; the next forwards once', async () => {
  // A failure the dispatchers do not see yet: decided by hand below.
  const person = examples.singleParent.parents[0];
  await prefer(person, { email: `parent-${person}@example.org` });
  const journeyId = await journeyOf(person);
  const email = await pollUntil('the e-mail delivered', async () => {
    const r = byChannel(await rowsOf(journeyId, 'journey.started'));
    return r.email?.status === 'delivered' && r.ecounter?.status === 'delivered' ? r.email : undefined;
  });
  for (const d of dispatchers) await d.stop();
  dispatchers = [];
  await gw.ds.query(`UPDATE notification_deliveries SET status = 'permanent_failure', last_error = 'test', fallback_checked_at = NULL, updated_at = now() WHERE id = $1`, [email.id]);
  const fallbacks = new DeliveryFallbacks(gw.ds);
  await expect(
    fallbacks.forward(10, ['email', 'sms'], () => {
      throw new Error('the dispatcher dies here');
    }),
  ).rejects.toThrow('the dispatcher dies here');
  expect(byChannel(await rowsOf(journeyId, 'journey.started')).email).toMatchObject({ status: 'permanent_failure', forwarded_to: null });
  const decide = () => ({ channel: 'letter', address: '{"street":"Kerkstraat"}' });
  expect(await fallbacks.forward(10, ['email', 'sms'], decide)).toBe(1);
  expect(await fallbacks.forward(10, ['email', 'sms'], decide)).toBe(0);
  const rows = await rowsOf(journeyId, 'journey.started');
  expect(rows.filter((r) => r.channel === 'letter')).toEqual([expect.objectContaining({ forwarded_from: email.id, status: 'queued' })]);
  expect(byChannel(rows).email.forwarded_to).toBe('letter');
});

test('an unsigned, wrongly signed, malformed or unknown mail report is refused with problem+json', async () => {
  const body = JSON.stringify({ messageId: `<${randomUUID()}@levensloop.local>`, status: 'bounced', at: at() });
  const unsigned = await fetch(`${gw.baseUrl}/callbacks/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect([unsigned.status, unsigned.headers.get('content-type')]).toEqual([401, expect.stringContaining('application/problem+json')]);
  const wrongKey = await postReport(body, randomUUID(), 'not-the-secret');
  expect([wrongKey.status, wrongKey.type, wrongKey.body.detail]).toEqual([401, expect.stringContaining('application/problem+json'), expect.stringMatching(/not signed with the shared secret/)]);
  const malformed = await postReport(JSON.stringify({ messageId: '', status: 'lost', at: 'never' }));
  expect(malformed.status).toBe(400);
  expect(malformed.body.errors.map((e: any) => e.path ?? e.pointer)).toEqual(expect.arrayContaining(['/messageId', '/status', '/at']));
  const unknown = await postReport(body);
  expect([unknown.status, unknown.type]).toEqual([404, expect.stringContaining('application/problem+json')]);
  const count = await gw.ds.query(`SELECT count(*)::int AS n FROM email_delivery_reports WHERE report_id IS NOT NULL AND message_id = $1`, [JSON.parse(body).messageId]);
  expect(count[0].n).toBe(0);
});
