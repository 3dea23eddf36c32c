import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@levensloop/config';
import { journeyWorkflowId, type JourneyProjection } from '@levensloop/contracts/workflow';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createJourneyActivities } from '@levensloop/activities';
import { applyJourneyProjection, JourneyLauncher } from '@levensloop/journeys';
import { TEMPLATES_CHANNEL } from '@levensloop/notifications';
import { createDataSource } from '@levensloop/persistence';
import { freePort } from '@levensloop/runtime';
import { createSourceClient } from '@levensloop/sources';
import { connectClient } from '@levensloop/temporal';
import { workerBase } from '@levensloop/temporal/worker';
import { startSandbox, type RunningSandbox } from '../../apps/sandbox/src';
import { Dispatcher } from '../../apps/dispatcher/src/dispatcher';
import { buildWorkflowBundle } from '../../apps/worker/src/workflow-bundle';
import { createTestDatabase } from '../support/database';
import { readLetter } from '../support/letters';
import { pollUntil } from '../support/poll';
import { snapshot, step } from '../support/snapshots';

jest.setTimeout(180_000);

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let sandbox: RunningSandbox;
let env: Record<string, string>;
let dispatcher: Dispatcher | undefined;
let examples: any;
let duplicatesAfterCrash = -1;

const root = path.resolve(__dirname, '../..');

beforeAll(async () => {
  db = await createTestDatabase('notify');
  ds = createDataSource(db.url);
  await ds.initialize();
  sandbox = await startSandbox({ port: 0, smtpPort: 0, smsReportDelayMs: 20 });
  examples = sandbox.population.examples();
  env = {
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    OIDC_ISSUER: `${sandbox.url}/oidc`,
    SOURCES_URL: `${sandbox.url}/sources`,
    SOURCES_TOKEN: 'sandbox-sources-token',
    SMTP_URL: `smtp://127.0.0.1:${sandbox.smtpPort}`,
    SMS_GATEWAY_URL: `${sandbox.url}/sms`,
    SMS_GATEWAY_TOKEN: 'sandbox-sms-token',
    ECOUNTER_URL: `${sandbox.url}/ecounter`,
    ECOUNTER_TOKEN: 'sandbox-ecounter-token',
    CITIZEN_WEB_URL: 'https://mijn.levensloop.example',
    DISPATCHER_POLL_MS: '200',
    DISPATCHER_SCHEDULER_MS: '300',
    DISPATCHER_BACKOFF_MS: '200',
    DISPATCHER_BACKOFF_MAX_MS: '1000',
    DISPATCHER_LEASE_MS: '1500',
    LETTER_AFTER: 'PT3S',
    LOG_LEVEL: 'warn',
  };
});

afterAll(async () => {
  await engine?.close();
  await dispatcher?.stop();
  await sandbox?.close();
  await ds?.destroy();
  await db?.drop();
});

async function startDispatcher(extra: Record<string, string> = {}) {
  const config = loadConfig({ ...env, ...extra });
  const d = new Dispatcher({ config, sources: createSourceClient(config.sources), logger: pino({ level: 'silent' }) });
  await d.start();
  return d;
}

let engine: { launcher: JourneyLauncher; client: Client; close: () => Promise<void> } | undefined;

/** The journey workflow with a worker in this process on this test's database, and the launcher the gateway uses. */
async function startEngine(extra: Record<string, string>) {
  const config = loadConfig({ ...env, ...extra });
  const base = await workerBase(config.temporal);
  const taskQueue = `it-notify-${randomUUID()}`;
  const worker = await Worker.create({
    ...base,
    taskQueue,
    workflowBundle: await buildWorkflowBundle(),
    activities: createJourneyActivities({ dataSource: ds, agencyTimeoutMs: 1000, agencyCalls: { allowedInternalHosts: [], signingKeys: new Map(), hostsCacheMs: 0 } }),
  });
  const run = worker.run();
  const client = await connectClient(config.temporal);
  const launcher = new JourneyLauncher({ client, taskQueue, subjectHashKey: config.temporal.subjectHashKey, reminderBefore: config.notifications.reminderBefore });
  engine = {
    launcher,
    client,
    async close() {
      worker.shutdown();
      await run;
      await client.connection.close();
      await base.connection.close();
    },
  };
  return engine;
}

async function stopDispatcher() {
  await dispatcher?.stop();
  dispatcher = undefined;
}

const at = () => new Date().toISOString();
const titles = { pay: { nl: 'Kinderbijslag', fr: 'Allocations familiales', de: 'Kindergeld', en: 'Child benefit' }, proof: { nl: 'Bewijs opladen', fr: 'Envoyer une preuve', de: 'Nachweis hochladen', en: 'Upload a proof' } };

/** A journey of the read model through the real projection (which writes the outboxes). */
function journey(subject: string) {
  const journeyId = randomUUID();
  let seq = 0;
  let eventSeq = 0;
  const header = {
    idempotencyKey: `it:${journeyId}`,
    lifeEventKey: 'birth',
    lifeEventVersion: 1,
    title: { nl: 'Geboorte van een kind', fr: "Naissance d'un enfant", de: 'Geburt eines Kindes', en: 'Birth of a child' },
    agencies: ['groeipakket'],
    startedAt: at(),
    startedBy: 'test',
    data: {},
  };
  return {
    journeyId,
    async project(p: Partial<JourneyProjection> & { eventTypes?: Array<[string, string | undefined, Record<string, unknown>?]> }) {
      seq += 1;
      const events = (p.eventTypes ?? []).map(([type, step, detail]) => ({ seq: ++eventSeq, at: at(), type, step, detail }) as any);
      await applyJourneyProjection(ds, {
        journeyId,
        header: seq === 1 ? header : undefined,
        seq,
        status: 'running',
        subject: { type: 'person', id: subject },
        titles,
        steps: [],
        ...p,
        events,
      } as JourneyProjection);
      return seq;
    },
  };
}

const started = (j: ReturnType<typeof journey>) => j.project({ eventTypes: [['journey.started', undefined, {}]], steps: [{ key: 'pay', agency: 'groeipakket', kind: 'automatic', status: 'running', attempts: 1 }] });

const waitingForCitizen = (j: ReturnType<typeof journey>) =>
  j.project({
    eventTypes: [['step.task_created', 'proof', { assignee: 'citizen' }]],
    steps: [{ key: 'proof', agency: 'groeipakket', kind: 'citizen', status: 'waiting', attempts: 0, startedAt: at(), dueAt: new Date(Date.now() + 30 * 86400_000).toISOString() }],
  });

async function deliveries(journeyId: string) {
  return ds.query(
    `SELECT d.*, n.category FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = $1 ORDER BY d.created_at, d.channel`,
    [journeyId],
  );
}

async function settled(journeyId: string, expected: number) {
  return pollUntil(`${expected} settled deliveries of ${journeyId}`, async () => {
    const rows = await deliveries(journeyId);
    const done = rows.filter((r: any) => ['delivered', 'expired', 'permanent_failure'].includes(r.status) || (r.status === 'sending' && r.sent_at));
    return rows.length === expected && done.length === expected ? rows : undefined;
  });
}

/** Every notification of the journey fanned out and every delivery settled. */
async function allSettled(journeyId: string) {
  return pollUntil(`all deliveries of ${journeyId} settled`, async () => {
    const [open] = await ds.query(`SELECT count(*)::int AS n FROM notifications WHERE journey_id = $1 AND fanned_out_at IS NULL`, [journeyId]);
    const rows = await deliveries(journeyId);
    const done = rows.every((r: any) => ['delivered', 'expired', 'permanent_failure'].includes(r.status) || (r.status === 'sending' && r.sent_at));
    return open.n === 0 && rows.length > 0 && done ? rows : undefined;
  });
}

const mailTo = (to: string) => sandbox.mail.list({ to });

test('a journey that starts: e-mail in the recipient language, the e-counter notification and dossier, the register read logged', async () => {
  dispatcher = await startDispatcher();
  const nl = examples.flemishCouple.parents[0];
  const fr = examples.brusselsCouple.parents[0];
  const nlPerson = sandbox.population.person(nl)!;
  const frPerson = sandbox.population.person(fr)!;
  const a = journey(nl);
  const b = journey(fr);
  await started(a);
  await started(b);

  const rowsA = await settled(a.journeyId, 2);
  expect(rowsA.map((r: any) => [r.channel, r.status, r.language])).toEqual(
    expect.arrayContaining([
      ['ecounter', 'delivered', 'nl'],
      ['email', 'delivered', 'nl'],
    ]),
  );
  const mailA = mailTo(nlPerson.contact.email!);
  expect(mailA).toHaveLength(1);
  expect(mailA[0].headers['content-language']).toBe('nl');
  expect(mailA[0].subject).toBe('Uw dossier "Geboorte van een kind" is gestart');
  expect(mailA[0].text).toContain(`https://mijn.levensloop.example/journeys/${a.journeyId}`);
  const emailDelivery = rowsA.find((r: any) => r.channel === 'email');
  expect(mailA[0].messageId).toBe(`<${emailDelivery.id}@levensloop.local>`);

  const rowsB = await settled(b.journeyId, 2);
  const mailB = mailTo(frPerson.contact.email!);
  expect({ mails: mailB.length, rows: rowsB.map((r: any) => [r.channel, r.status, r.last_error]) }).toEqual({ mails: 1, rows: expect.anything() });
  expect(mailB[0].headers['content-language']).toBe('fr');
  expect(mailB[0].subject).toContain('Votre dossier « Naissance d\'un enfant » a démarré');

  const counter = sandbox.ecounter.notificationsOf(nl);
  expect(counter.map((n) => [n.category, n.transactionId, n.language, n.actionNeeded])).toEqual([['journey.started', a.journeyId, 'nl', false]]);

  const dossier = await pollUntil('dossier on the e-counter', async () => sandbox.ecounter.dossier(a.journeyId));
  expect(dossier).toMatchObject({ statusCode: 'received', audience: [nl], language: 'nl', title: 'Geboorte van een kind', phase: 'Kinderbijslag', link: `https://mijn.levensloop.example/journeys/${a.journeyId}` });

  // The contact details came from the national register once, on record in the access log.
  const log = await ds.query(`SELECT subject_id, source, fields, purpose->>'en' AS purpose, legal_basis->>'type' AS basis, actor_kind, agency, outcome FROM data_access_log WHERE subject_id = $1 ORDER BY id`, [nl]);
  const entry = { source: 'national-register', purpose: 'Keep you informed about your file', basis: 'law', actor_kind: 'step', agency: 'levensloop' };
  expect(log).toEqual([expect.objectContaining({ ...entry, outcome: 'requested' }), expect.objectContaining({ ...entry, outcome: 'granted' })]);
  expect(log[0].fields).toEqual(expect.arrayContaining(['contact.email', 'preferredLanguage', 'address']));
  const [prefs] = await ds.query(`SELECT prefilled FROM contact_prefills WHERE subject_id = $1`, [nl]);
  expect(prefs.prefilled).toMatchObject({ email: nlPerson.contact.email, language: 'nl' });
});

test('a request to act: SMS to a phone-only person, the dossier says action needed with the step as phase; a registered template wins', async () => {
  const person = examples.personWithPhoneOnly;
  const phone = sandbox.population.person(person)!.contact.phone!;
  await ds.query(
    `INSERT INTO notification_templates (category, language, version, subject, body, sms, created_by) VALUES
       ('action.needed', 'nl', 1, 'oud', 'oud {{link}}', 'oud {{link}}', 'test'),
       ('action.needed', 'nl', 2, 'Actie: {{stepTitle}}', 'Doe: {{stepTitle}} {{link}}', 'Doe {{stepTitle}} via {{link}}', 'test')`,
  );
  // Written by hand, without the notice a registration sends: a fresh dispatcher reads them now.
  await stopDispatcher();
  dispatcher = await startDispatcher();
  const j = journey(person);
  await started(j);
  await waitingForCitizen(j);
  const rows = await settled(j.journeyId, 4);
  // journey.started: e-counter and a letter (no channel reaches this person by itself for it); action.needed: e-counter and SMS.
  expect(rows.map((r: any) => `${r.category}:${r.channel}`).sort()).toEqual(['action.needed:ecounter', 'action.needed:sms', 'journey.started:ecounter', 'journey.started:letter']);
  const sms = await pollUntil('sms at the gateway', async () => sandbox.sms.list({ to: phone }).find((m) => m.report));
  expect(sms.text).toBe(`Doe Bewijs opladen via https://mijn.levensloop.example/journeys/${j.journeyId}`);
  const smsDelivery = rows.find((r: any) => r.channel === 'sms');
  expect(sms.idempotencyKey).toBe(smsDelivery.id);
  expect(smsDelivery.provider_ref).toBe(sms.id);

  const dossier = await pollUntil('action needed on the e-counter', async () => {
    const d = sandbox.ecounter.dossier(j.journeyId);
    return d?.statusCode === 'action_needed' ? d : undefined;
  });
  expect(dossier.phase).toBe('Bewijs opladen, Kinderbijslag'); // the steps under way, those started first
  expect(dossier.actionNeeded).toEqual({ flag: true, text: 'Wij hebben iets van u nodig: Bewijs opladen' });
});

test("templates per agency: a bank step's decision uses the bank's text, the growth package's decision the global one, the journey's own message neither", async () => {
  await ds.query(`INSERT INTO agencies (code, names) VALUES ('bank', '{"nl":"Bank"}'), ('groeipakket', '{"nl":"Groeipakket"}') ON CONFLICT DO NOTHING`);
  await ds.query(
    `INSERT INTO notification_templates (category, language, agency, version, subject, body, sms, created_by) VALUES
       ('decision.made', 'nl', NULL, 101, 'Globaal: {{stepTitle}}', 'Globaal {{link}}', 'Globaal {{link}}', 'test'),
       ('decision.made', 'nl', 'bank', 102, 'Bank: {{stepTitle}}', 'Bank {{link}}', 'Bank {{link}}', 'test'),
       -- Not reachable through the API (journey messages are global only); the renderer ignores it as well.
       ('journey.started', 'nl', 'bank', 103, 'Bank gestart', 'Bank gestart {{link}}', 'Bank gestart {{link}}', 'test')`,
  );
  try {
    await ds.query(`SELECT pg_notify($1, 'decision.made/nl/102')`, [TEMPLATES_CHANNEL]);
    dispatcher ??= await startDispatcher();
    const j = journey(examples.flemishCouple.parents[0]);
    await started(j);
    await j.project({
      eventTypes: [
        ['step.decided', 'loan', { outcome: 'grant' }],
        ['step.decided', 'pay', { outcome: 'deny' }],
      ],
      steps: [
        { key: 'loan', agency: 'bank', kind: 'decision', status: 'completed', attempts: 1 },
        { key: 'pay', agency: 'groeipakket', kind: 'decision', status: 'completed', attempts: 1 },
      ],
    } as any);
    const rows = await allSettled(j.journeyId);
    const told = await ds.query(
      `SELECT n.category, n.node_key, n.agency, d.subject FROM notifications n JOIN notification_deliveries d ON d.notification_id = n.id
        WHERE n.journey_id = $1 AND d.channel = 'ecounter' ORDER BY n.event_seq`,
      [j.journeyId],
    );
    expect({ deliveries: rows.length, told }).toEqual({
      deliveries: 6,
      told: [
        { category: 'journey.started', node_key: null, agency: null, subject: 'Uw dossier "Geboorte van een kind" is gestart' },
        { category: 'decision.made', node_key: 'loan', agency: 'bank', subject: 'Bank: loan' },
        { category: 'decision.made', node_key: 'pay', agency: 'groeipakket', subject: 'Globaal: Kinderbijslag' },
      ],
    });
  } finally {
    await ds.query(`DELETE FROM notification_templates WHERE version IN (101, 102, 103)`);
    await ds.query(`SELECT pg_notify($1, 'deleted')`, [TEMPLATES_CHANNEL]);
  }
});

test('no digital channel: a letter with the postal address, the web address in full, and a QR code of exactly that address', async () => {
  const person = examples.personWithoutContact;
  const record = sandbox.population.nationalRegisterRecord(person) as any;
  const j = journey(person);
  await started(j);
  const rows = await settled(j.journeyId, 2);
  const letterDelivery = rows.find((r: any) => r.channel === 'letter');
  expect(letterDelivery.status).toBe('delivered');
  const [letter] = await ds.query(`SELECT * FROM letters WHERE delivery_id = $1`, [letterDelivery.id]);
  const link = `https://mijn.levensloop.example/journeys/${j.journeyId}`;
  expect(letter.link).toBe(link);
  const read = await readLetter(letter.pdf);
  expect(read.text).toContain(link);
  expect(read.text).toContain(`${record.address.street} ${record.address.houseNumber}`);
  expect(read.text).toContain(`${record.address.postalCode} ${record.address.municipality}`);
  expect(read.qrCodes).toEqual([link]);
});

/** The built dispatcher as a process that exits right after its first send of `channel`, before recording it. */
async function crashAfterSend(channel: string): Promise<string> {
  const port = await freePort();
  const crashing = spawn(process.execPath, [path.join(root, 'dist/apps/dispatcher/src/main.js')], {
    // A long lease: a crashing process must not take over what an earlier crash left leased,
    // however slowly it starts on a busy machine. leasesRunOut() ends them before the recovery.
    env: { ...process.env, ...env, DISPATCHER_PORT: String(port), DISPATCHER_TEST_EXIT_AFTER_SEND: channel, DISPATCHER_LEASE_MS: '600000' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  crashing.stderr!.on('data', (c) => (stderr += String(c)));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => crashing.kill('SIGKILL'), 20_000);
    crashing.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  expect({ code, stderr }).toEqual({ code: 86, stderr: expect.stringContaining(channel === 'status' ? 'exiting after pushing dossier' : `exiting after sending ${channel}`) });
  return stderr;
}

/** The time of the crashed processes' leases passes: what they held is due again. */
async function leasesRunOut() {
  await ds.query(`UPDATE notification_deliveries SET updated_at = now() - interval '1 hour' WHERE status = 'sending' AND sent_at IS NULL`);
  await ds.query(`UPDATE dossier_status_outbox SET next_attempt_at = now() WHERE status = 'pending' AND next_attempt_at > now()`);
}

test('the dispatcher killed between send and record: the same key is sent again, nothing twice, nothing lost', async () => {
  await stopDispatcher();
  const person = examples.flemishCouple.parents[1];
  const email = sandbox.population.person(person)!.contact.email!;
  const j = journey(person);
  await started(j);
  await crashAfterSend('email');
  const [stuck] = await ds.query(
    `SELECT d.status, d.attempts, d.subject, d.body, d.template_version FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = $1 AND d.channel = 'email'`,
    [j.journeyId],
  );
  // The text was stored by the claim, before the send: it is what went out.
  const sent = mailTo(email);
  expect(sent).toHaveLength(1);
  expect(stuck).toEqual({ status: 'sending', attempts: 1, subject: sent[0].subject, body: expect.stringContaining(j.journeyId), template_version: null });
  expect(sent[0].text!.replace(/\r\n/g, '\n').trim()).toBe(stuck.body.trim());
  const duplicatesBefore = sandbox.mail.duplicates;

  // A newer template before the resend: the resend still says what the first send said.
  await ds.query(
    `INSERT INTO notification_templates (category, language, version, subject, body, sms, created_by) VALUES ('journey.started', 'nl', 1, 'Anders {{journeyTitle}}', 'Anders {{link}}', 'Anders {{link}}', 'test')`,
  );
  try {
    await leasesRunOut();
    dispatcher = await startDispatcher();
    const rows = await settled(j.journeyId, 2);
    const mail = rows.find((r: any) => r.channel === 'email');
    expect(mail).toMatchObject({ status: 'delivered', attempts: 2, subject: stuck.subject, body: stuck.body, template_version: null });
    expect(mailTo(email)).toHaveLength(1);
    expect(sandbox.mail.duplicates).toBe(duplicatesBefore + 1); // the resend carried the same Message-ID
    duplicatesAfterCrash = sandbox.mail.duplicates;
  } finally {
    await ds.query(`DELETE FROM notification_templates WHERE category = 'journey.started' AND language = 'nl'`);
    await ds.query(`SELECT pg_notify($1, 'journey.started/nl/deleted')`, [TEMPLATES_CHANNEL]);
  }
});

test('killed after an SMS, an e-counter notification or a dossier status: sent again under the same key, in effect once', async () => {
  await stopDispatcher();
  const person = examples.personWithPhoneOnly;
  // Each crash gets fresh work of its own, written just before (a process sends all channels at once).
  const journeys = [];
  const crashed: string[] = [];
  for (const channel of ['sms', 'ecounter']) {
    const j = journey(person);
    journeys.push(j);
    await started(j);
    if (channel === 'sms') await waitingForCitizen(j);
    const stderr = await crashAfterSend(channel);
    const id = /exiting after sending \w+ ([0-9a-f-]{36})/.exec(stderr)![1];
    const [row] = await ds.query(`SELECT status, attempts, sent_at FROM notification_deliveries WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'sending', attempts: 1, sent_at: null });
    crashed.push(id);
  }
  const j3 = journey(person);
  journeys.push(j3);
  await started(j3);
  const stderr = await crashAfterSend('status');
  const [, dossierNumber, seq] = /exiting after pushing dossier ([0-9a-f-]{36}) seq (\d+)/.exec(stderr)!;

  await leasesRunOut();
  dispatcher = await startDispatcher();
  for (const j of journeys) await allSettled(j.journeyId);
  const rows = await ds.query(`SELECT * FROM notification_deliveries WHERE id = ANY($1)`, [crashed]);
  expect(rows.map((r: any) => r.attempts)).toEqual([2, 2]);
  for (const r of rows) {
    if (r.channel === 'sms') {
      const copies = sandbox.sms.list().filter((m) => m.idempotencyKey === r.id);
      expect(copies).toHaveLength(1);
      expect(r.provider_ref).toBe(copies[0].id);
    } else {
      expect(r.status).toBe('delivered');
      expect(sandbox.ecounter.notificationsOf(person).filter((n) => n.idempotencyKey === r.id)).toHaveLength(1);
    }
  }
  // The dossier: the same seq twice at the e-counter, applied once.
  const outbox = await pollUntil('the status recorded', async () => {
    const [r] = await ds.query(`SELECT status, attempts FROM dossier_status_outbox WHERE journey_id = $1 AND seq = $2`, [dossierNumber, Number(seq)]);
    return r.status === 'delivered' ? r : undefined;
  });
  expect(outbox.attempts).toBe(2);
  const history = sandbox.ecounter.dossier(dossierNumber)!.history.filter((h) => h.seq === Number(seq));
  expect(history.map((h) => h.applied)).toEqual([true, false]);
});

test('the SMTP server down for a while: retried with backoff, delivered once when it is back', async () => {
  const person = examples.singleParent.parents[0];
  const email = sandbox.population.person(person)!.contact.email;
  expect(email).toBeDefined();
  await sandbox.mail.setDown();
  const j = journey(person);
  await started(j);
  const failing = await pollUntil('a temporary failure', async () => {
    const [r] = await ds.query(`SELECT d.status, d.attempts, d.last_error FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = $1 AND d.channel = 'email'`, [j.journeyId]);
    return r?.status === 'temporary_failure' && r.attempts >= 2 ? r : undefined;
  });
  expect(failing.last_error).toMatch(/ECONNREFUSED|connect/i);
  await sandbox.mail.setUp();
  const rows = await settled(j.journeyId, 2);
  expect(rows.find((r: any) => r.channel === 'email').status).toBe('delivered');
  expect(mailTo(email!)).toHaveLength(1);
});

test('dossier status: only the newest of several changes is sent, and a late older change never regresses the e-counter', async () => {
  await stopDispatcher();
  const person = examples.walloonCouple.parents[0];
  const j = journey(person);
  await started(j);
  await waitingForCitizen(j);
  const last = await j.project({
    status: 'completed',
    completedAt: at(),
    eventTypes: [['journey.completed', undefined, {}]],
    steps: [
      { key: 'pay', agency: 'groeipakket', kind: 'automatic', status: 'completed', attempts: 1 },
      { key: 'proof', agency: 'groeipakket', kind: 'citizen', status: 'completed', attempts: 0, outcome: { result: 'approved' } as any },
    ],
  });
  dispatcher = await startDispatcher();
  const dossier = await pollUntil('completed on the e-counter', async () => {
    const d = sandbox.ecounter.dossier(j.journeyId);
    return d?.statusCode === 'completed' ? d : undefined;
  });
  expect(dossier.seq).toBe(last);
  expect(dossier.history.map((h) => h.seq)).toEqual([last]);
  const outbox = await ds.query(`SELECT seq, status FROM dossier_status_outbox WHERE journey_id = $1 ORDER BY seq`, [j.journeyId]);
  expect(outbox).toEqual([
    { seq: 1, status: 'superseded' },
    { seq: 2, status: 'superseded' },
    { seq: 3, status: 'delivered' },
  ]);
  // The action-needed message was no longer open when its turn came: expired, not sent.
  const rows = await allSettled(j.journeyId);
  expect(rows.filter((r: any) => r.category === 'action.needed').map((r: any) => r.status)).toEqual(expect.arrayContaining(['expired']));
  expect(rows.filter((r: any) => r.category === 'action.needed').every((r: any) => r.status === 'expired')).toBe(true);

  // A row of an older change turns up pending again (a crash elsewhere, a race): superseded, not sent.
  await ds.query(`UPDATE dossier_status_outbox SET status = 'pending', next_attempt_at = now() WHERE journey_id = $1 AND seq = 2`, [j.journeyId]);
  await pollUntil('the late row superseded', async () => {
    const [r] = await ds.query(`SELECT status FROM dossier_status_outbox WHERE journey_id = $1 AND seq = 2`, [j.journeyId]);
    return r.status === 'superseded';
  });
  expect(sandbox.ecounter.dossier(j.journeyId)!.statusCode).toBe('completed');
  expect(sandbox.ecounter.dossier(j.journeyId)!.history).toHaveLength(1);
});

test('an action-needed message nobody read goes out on paper after LETTER_AFTER; one that was read does not', async () => {
  const unread = journey(examples.flemishCouple.parents[0]);
  const read = journey(examples.brusselsCouple.parents[1]);
  await started(unread);
  await waitingForCitizen(unread);
  await started(read);
  await waitingForCitizen(read);
  await allSettled(read.journeyId);
  await ds.query(
    `INSERT INTO delivery_reads (delivery_id) SELECT d.id FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = $1 AND n.category = 'action.needed' AND d.channel = 'ecounter'`,
    [read.journeyId],
  );
  const letter = await pollUntil(
    'a letter for the unread request',
    async () => {
      const rows = await deliveries(unread.journeyId);
      const l = rows.find((r: any) => r.category === 'action.needed' && r.channel === 'letter' && r.status === 'delivered');
      return l;
    },
    { timeoutMs: 20_000 },
  );
  const [pdf] = await ds.query(`SELECT pdf, link FROM letters WHERE delivery_id = $1`, [letter.id]);
  const content = await readLetter(pdf.pdf);
  expect(content.qrCodes).toEqual([`https://mijn.levensloop.example/journeys/${unread.journeyId}`]);
  expect(content.text).toContain('Bewijs opladen');
  // Several scheduler passes later there is still one letter, and none for the request that was read.
  await new Promise((r) => setTimeout(r, 1500));
  expect((await deliveries(unread.journeyId)).filter((r: any) => r.channel === 'letter' && r.category === 'action.needed')).toHaveLength(1);
  expect((await deliveries(read.journeyId)).filter((r: any) => r.channel === 'letter')).toHaveLength(0);
});

test('a mandate holder reading their copy does not stop the subject’s letter; the holder gets no paper copy of what they read', async () => {
  // No letter falls due by itself here: the request is made old enough by hand, after the read.
  await stopDispatcher();
  dispatcher = await startDispatcher({ LETTER_AFTER: 'PT1H' });
  const subject = examples.walloonCouple.parents[1];
  const holder = examples.soleTrader.nationalNumber;
  await ds.query(`INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source) VALUES ($1, 'person', $2, 'representative', 'test')`, [holder, subject]);
  try {
    const j = journey(subject);
    await started(j);
    await waitingForCitizen(j);
    const rows = await allSettled(j.journeyId);
    const request = rows.filter((r: any) => r.category === 'action.needed');
    expect(request.filter((r: any) => r.relation === 'mandate' && r.recipient_id === holder).length).toBeGreaterThan(0);
    expect(request.filter((r: any) => r.channel === 'letter')).toHaveLength(0);
    // Only the holder reads the request.
    await ds.query(`INSERT INTO delivery_reads (delivery_id) SELECT id FROM notification_deliveries WHERE notification_id = $1 AND recipient_id = $2`, [request[0].notification_id, holder]);
    await ds.query(`UPDATE notifications SET created_at = created_at - interval '2 hours' WHERE id = $1`, [request[0].notification_id]);
    await dispatcher.schedule();
    const letter = await pollUntil('the subject’s letter', async () => {
      const all = await deliveries(j.journeyId);
      return all.find((r: any) => r.category === 'action.needed' && r.channel === 'letter' && r.status === 'delivered');
    });
    expect(letter).toMatchObject({ recipient_id: subject, relation: 'subject' });
    await dispatcher.schedule();
    const letters = (await deliveries(j.journeyId)).filter((r: any) => r.channel === 'letter' && r.category === 'action.needed');
    expect(letters.map((r: any) => r.recipient_id)).toEqual([subject]);
  } finally {
    // Later tests count each person's deliveries: no copies for a holder beyond this test.
    await ds.query(`DELETE FROM mandates WHERE holder_id = $1 AND subject_id = $2`, [holder, subject]);
    await stopDispatcher();
    dispatcher = await startDispatcher();
  }
});

test('scheduled: a reminder before a citizen task is due, and an apology with a new date for an agency step past its norm — each once', async () => {
  dispatcher ??= await startDispatcher();
  await ds.query(`INSERT INTO agencies (code, names) VALUES ('groeipakket', $1) ON CONFLICT DO NOTHING`, [JSON.stringify({ nl: 'Groeipakket', fr: 'Allocations familiales', de: 'Kindergeld', en: 'Child benefit agency' })]);
  const person = examples.flemishCouple.parents[1];
  const email = sandbox.population.person(person)!.contact.email!;
  // A real journey on the workflow's timers: the agency's step cannot be reached, so it is still
  // under way when it is due (PT3S; escalation P10D), and the citizen's task is due in PT8S with a
  // reminder PT5S before (REMINDER_BEFORE through the launcher).
  const engine = await startEngine({ REMINDER_BEFORE: 'PT5S' });
  const node = (key: 'pay' | 'proof', kind: 'automatic' | 'citizen', norm: Record<string, string>) => {
    const n = step(key, kind, { agency: 'groeipakket', norm: norm as { target: string }, maximumAttempts: 1 });
    return { ...n, definition: { ...n.definition, titles: titles[key] } };
  };
  const birth = { ...snapshot('birth', [node('pay', 'automatic', { target: 'PT3S', escalate: 'P10D' }), node('proof', 'citizen', { target: 'PT8S' })]), titles: { nl: 'Geboorte van een kind', fr: "Naissance d'un enfant", de: 'Geburt eines Kindes', en: 'Birth of a child' } };
  const journeyId = randomUUID();
  const { input } = await engine.launcher.launch({ journeyId, idempotencyKey: `it:${journeyId}`, snapshot: birth, subject: { type: 'person', id: person }, data: {}, startedBy: 'test' });
  expect(input.reminderBefore).toBe('PT5S');
  const j = { journeyId };
  const byCategory = async () => {
    const rows = await ds.query(`SELECT category, dedup_key, data, agency FROM notifications WHERE journey_id = $1 ORDER BY created_at`, [j.journeyId]);
    return rows;
  };
  await pollUntil('reminder and apology', async () => {
    const rows = await byCategory();
    return rows.some((r: any) => r.category === 'action.reminder') && rows.some((r: any) => r.category === 'service.delayed');
  });
  await new Promise((r) => setTimeout(r, 6000)); // past the citizen's due date: nothing more comes
  const rows = await byCategory();
  expect(rows.map((r: any) => r.category).sort()).toEqual(['action.needed', 'action.reminder', 'journey.started', 'service.delayed']);
  // Each names the agency whose templates it uses: the step's, none for the journey's own message.
  expect(Object.fromEntries(rows.map((r: any) => [r.category, r.agency]))).toEqual({
    'journey.started': null,
    'action.needed': 'groeipakket',
    'action.reminder': 'groeipakket',
    'service.delayed': 'groeipakket',
  });
  expect(rows.find((r: any) => r.category === 'action.reminder').dedup_key).toBe(`${j.journeyId}.proof/reminder`);
  const delayed = rows.find((r: any) => r.category === 'service.delayed');
  expect(delayed.dedup_key).toBe(`${j.journeyId}/pay/delayed`);
  // The escalation date (start + P10D) is still ahead: that is the new date, not now + the target.
  const [pay] = await ds.query(`SELECT started_at FROM journey_steps WHERE journey_id = $1 AND node_key = 'pay'`, [j.journeyId]);
  const expected = new Date(pay.started_at.getTime() + 10 * 86400_000);
  expect(Math.abs(new Date(delayed.data.newExpectedDate).getTime() - expected.getTime())).toBeLessThan(1000);

  await allSettled(j.journeyId);
  const apology = await pollUntil('the apology by e-mail', async () => mailTo(email).find((m) => m.subject.includes('vertraging')));
  expect(apology.text).toContain('Kinderbijslag door Groeipakket');
  expect(apology.text).toContain(expected.toLocaleDateString('nl-BE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Brussels' }));
  const reminder = mailTo(email).filter((m) => m.subject.startsWith('Herinnering'));
  expect(reminder).toHaveLength(1);
  expect(reminder[0].text).toContain('Bewijs opladen');
  await engine.client.workflow.getHandle(journeyWorkflowId(j.journeyId)).cancel();
});

test('the person’s own choices win: language, a phone number the gateway refuses (failed for good at once), no copies for mandate holders unless allowed', async () => {
  dispatcher ??= await startDispatcher();
  const subject = examples.elderlyPerson;
  const holder = examples.flemishCouple.parents[0];
  await ds.query(`INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source) VALUES ($1, 'person', $2, 'guardian', 'test')`, [holder, subject]);
  await ds.query(`INSERT INTO contact_preferences (subject_type, subject_id, language, phone, mandate_copies, updated_by) VALUES ('person', $1, 'en', '12345', false, $1)`, [subject]);
  const j = journey(subject);
  await started(j);
  await waitingForCitizen(j);
  const rows = await allSettled(j.journeyId);
  expect(rows.every((r: any) => r.recipient_id === subject && r.language === 'en')).toBe(true);
  const sms = rows.find((r: any) => r.channel === 'sms');
  expect(sms).toMatchObject({ address: '12345', status: 'permanent_failure', attempts: 1 });
  expect(sms.last_error).toMatch(/^400/);
  expect(sandbox.ecounter.notificationsOf(subject).map((n) => n.language)).toEqual(['en', 'en']);

  await ds.query(`UPDATE contact_preferences SET mandate_copies = true WHERE subject_id = $1`, [subject]);
  const k = journey(subject);
  await started(k);
  const copies = (await allSettled(k.journeyId)).filter((r: any) => r.recipient_id === holder);
  expect(copies.map((r: any) => [r.relation, r.channel, r.status]).sort()).toEqual([
    ['mandate', 'ecounter', 'delivered'],
    ['mandate', 'email', 'delivered'],
  ]);
  const dossier = await pollUntil('the dossier with the holder in its audience', async () => {
    const d = sandbox.ecounter.dossier(k.journeyId);
    return d?.audience.includes(holder) ? d : undefined;
  });
  expect(dossier.audience).toEqual([subject, holder]);
});

test('a mandate limited to other life events gets no copy and is not in the dossier’s audience', async () => {
  dispatcher ??= await startDispatcher();
  const subject = examples.singleParent.parents[0];
  const [inScope, outOfScope] = examples.walloonCouple.parents as string[];
  await ds.query(
    `INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source, access, life_events) VALUES ($1, 'person', $3, 'representative', 'test', 'read', '{birth}'), ($2, 'person', $3, 'representative', 'test', 'act', '{moving}')`,
    [inScope, outOfScope, subject],
  );
  const j = journey(subject); // a journey of life event 'birth'
  await started(j);
  const rows = await allSettled(j.journeyId);
  expect(rows.some((r: any) => r.recipient_id === inScope && r.relation === 'mandate')).toBe(true);
  expect(rows.filter((r: any) => r.recipient_id === outOfScope)).toEqual([]);
  const dossier = await pollUntil('the dossier with the holder in scope', async () => {
    const d = sandbox.ecounter.dossier(j.journeyId);
    return d?.audience.includes(inScope) ? d : undefined;
  });
  expect(dossier.audience).not.toContain(outOfScope);
});

test('contact details are read only for holders who get a copy: not for a mandate outside the life event, nor when the subject turned copies off', async () => {
  dispatcher ??= await startDispatcher();
  const parent = examples.singleParent.parents[0];
  // People nobody has read yet (a read already made would hide a needless one).
  const [scoped, withoutCopies, holderOutOfScope, holderOfNoCopies] = ['2001-01-01', '2001-01-02', '2001-01-03', '2001-01-04'].map((d) => sandbox.population.registerBirth([parent], d).nationalNumber);
  await ds.query(
    `INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source, access, life_events) VALUES ($1, 'person', $2, 'representative', 'test', 'act', '{moving}'), ($3, 'person', $4, 'guardian', 'test', 'act', NULL)`,
    [holderOutOfScope, scoped, holderOfNoCopies, withoutCopies],
  );
  await ds.query(`INSERT INTO contact_preferences (subject_type, subject_id, mandate_copies, updated_by) VALUES ('person', $1, false, $1)`, [withoutCopies]);
  const a = journey(scoped); // life event 'birth'
  const b = journey(withoutCopies);
  await started(a);
  await started(b);
  for (const j of [a, b]) expect((await allSettled(j.journeyId)).every((r: any) => r.relation === 'subject')).toBe(true);
  const reads = await ds.query(`SELECT subject_id FROM data_access_log WHERE actor = 'levensloop/notify' AND subject_id = ANY($1) AND outcome = 'requested'`, [[scoped, withoutCopies, holderOutOfScope, holderOfNoCopies]]);
  expect(reads.map((r: any) => r.subject_id).sort()).toEqual([scoped, withoutCopies].sort());
  expect(await ds.query(`SELECT subject_id FROM contact_preferences WHERE subject_id = ANY($1)`, [[holderOutOfScope, holderOfNoCopies]])).toEqual([]);
});

test('throughput: a batch of 500 notifications, and the delay from state change to delivery', async () => {
  await stopDispatcher();
  // Persons the register knows, with an e-mail address: each notification goes to the e-counter and
  // by e-mail. Not those for whom an earlier test granted a mandate (their messages also go to the holder).
  const represented = new Set((await ds.query(`SELECT DISTINCT subject_id FROM mandates`)).map((r: { subject_id: string }) => r.subject_id));
  const people: string[] = [];
  for (const p of sandbox.population.allPersons()) {
    if (p.contact.email && !represented.has(p.nationalNumber) && people.length < 500) people.push(p.nationalNumber);
  }
  const ids: string[] = [];
  for (const person of people) {
    const j = journey(person);
    ids.push(j.journeyId);
    await started(j);
  }
  const t0 = Date.now();
  dispatcher = await startDispatcher({ DISPATCHER_BATCH: '200' });
  const total = await pollUntil(
    'all batch deliveries settled',
    async () => {
      const [r] = await ds.query(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE d.status = 'delivered')::int AS delivered
           FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = ANY($1)`,
        [ids],
      );
      return r.n >= people.length * 2 && r.delivered === r.n ? r : undefined;
    },
    { timeoutMs: 150_000, intervalMs: 100 },
  );
  const seconds = (Date.now() - t0) / 1000;
  expect(total.delivered).toBe(people.length * 2);

  // Delay from state change to delivery, for single changes while the dispatcher is idle (LISTEN wake-ups).
  const single: number[] = [];
  for (let i = 0; i < 20; i++) {
    const j = journey(people[i]);
    await started(j);
    const rows = await settled(j.journeyId, 2);
    const [r] = await ds.query(`SELECT extract(epoch FROM max(d.delivered_at) - min(n.created_at)) * 1000 AS ms FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = $1`, [j.journeyId]);
    expect(rows).toHaveLength(2);
    single.push(Number(r.ms));
  }
  const [batch] = await ds.query(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM (SELECT extract(epoch FROM d.delivered_at - n.created_at) * 1000 AS ms FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = ANY($1)) x`,
    [ids],
  );
  const sorted = [...single].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  console.log(
    [
      `[figures] dispatcher batch: ${people.length} notifications (${total.n} deliveries: e-counter + e-mail, ${people.length} register reads) in ${seconds.toFixed(1)} s = ${(people.length / seconds).toFixed(1)} notifications/s, ${(total.n / seconds).toFixed(1)} deliveries/s`,
      `[figures] batch delay, notification created → delivered (queued behind the batch): p50 ${Number(batch.p50).toFixed(0)} ms, p99 ${Number(batch.p99).toFixed(0)} ms`,
      `[figures] single change while idle, state change → last delivery (${single.length} journeys): p50 ${q(0.5).toFixed(0)} ms, p99 ${q(0.99).toFixed(0)} ms`,
    ].join('\n'),
  );
  expect(sandbox.mail.duplicates).toBe(duplicatesAfterCrash); // no copy in the whole batch
});

test('an e-counter failing temporarily on every attempt: the delivery and the dossier-status push fail for good at exactly the attempt limit, not one later', async () => {
  await stopDispatcher();
  const ecounterBehaviour = (init: RequestInit) => fetch(`${sandbox.url}/_sandbox/ecounter/behaviour`, init);
  expect((await ecounterBehaviour({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failWith: 503 }) })).status).toBe(200);
  try {
    dispatcher = await startDispatcher({ DISPATCHER_MAX_ATTEMPTS: '3' });
    const person = examples.flemishCouple.parents[0];
    const j = journey(person);
    await started(j);
    const rows = await settled(j.journeyId, 2);
    expect(rows.find((r: any) => r.channel === 'email')).toMatchObject({ status: 'delivered', attempts: 1 });
    const outbox = await pollUntil('the dossier status failed for good', async () => {
      const [r] = await ds.query(`SELECT status, attempts, last_error FROM dossier_status_outbox WHERE journey_id = $1`, [j.journeyId]);
      return r?.status === 'failed' ? r : undefined;
    });
    // Longer than the longest backoff (DISPATCHER_BACKOFF_MAX_MS): a fourth attempt would have come by now.
    await new Promise((r) => setTimeout(r, 2500));
    const [ecounter] = await ds.query(`SELECT d.status, d.attempts, d.last_error FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = $1 AND d.channel = 'ecounter'`, [j.journeyId]);
    expect(ecounter).toEqual({ status: 'permanent_failure', attempts: 3, last_error: expect.stringMatching(/503/) });
    expect(outbox).toEqual({ status: 'failed', attempts: 3, last_error: expect.stringMatching(/503/) });
    const [after] = await ds.query(`SELECT status, attempts FROM dossier_status_outbox WHERE journey_id = $1`, [j.journeyId]);
    expect(after).toEqual({ status: 'failed', attempts: 3 });
    expect(sandbox.ecounter.notificationsOf(person).filter((n) => n.transactionId === j.journeyId)).toEqual([]);
    expect(sandbox.ecounter.dossier(j.journeyId)).toBeUndefined();
  } finally {
    await ecounterBehaviour({ method: 'DELETE' });
    await stopDispatcher();
  }
});

test('a mandate the subject granted to a person, once accepted, gets copies and a place in the dossier’s audience; a pending, revoked or enterprise one does not', async () => {
  dispatcher ??= await startDispatcher();
  const subject = sandbox.population.registerBirth([examples.singleParent.parents[0]], '2002-02-02').nationalNumber;
  const [accepted, pending] = examples.brusselsCouple.parents as string[];
  const revoked = examples.walloonCouple.parents[0];
  const enterprise = '0999888777';
  const grant = (holderType: string, holder: string, status: string) =>
    ds.query(
      `INSERT INTO granted_mandates (id, grantor_type, grantor_id, granted_by, holder_type, holder_id, access, life_events, valid_from, valid_until, reason, status)
       VALUES ($1, 'person', $2, $2, $3, $4, 'read', '{birth}', now() - interval '1 day', now() + interval '1 year', 'test', $5)`,
      [randomUUID(), subject, holderType, holder, status],
    );
  await grant('person', accepted, 'accepted');
  await grant('person', pending, 'pending');
  await grant('person', revoked, 'revoked');
  await grant('enterprise', enterprise, 'accepted');
  const j = journey(subject); // life event 'birth'
  await started(j);
  const rows = await allSettled(j.journeyId);
  const copies = rows.filter((r: any) => r.relation === 'mandate');
  expect(copies.length).toBeGreaterThan(0);
  expect([...new Set(copies.map((r: any) => r.recipient_id))]).toEqual([accepted]);
  expect(rows.filter((r: any) => [pending, revoked, enterprise].includes(r.recipient_id))).toEqual([]);
  const dossier = await pollUntil('the dossier with the holder in its audience', async () => {
    const d = sandbox.ecounter.dossier(j.journeyId);
    return d?.audience.includes(accepted) ? d : undefined;
  });
  expect(dossier.audience).toEqual([subject, accepted]);
});
