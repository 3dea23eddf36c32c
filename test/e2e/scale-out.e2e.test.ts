/**
 * Every app scaled out: two gateways, two workers and two dispatchers on one Temporal (one task
 * queue) and one PostgreSQL. Births (source events, each posted to both gateways), their journeys,
 * messages and dossier-status pushes: nothing lost, nothing twice, the e-counter's dossiers moved
 * forward in order. Then SIGTERM mid-work: a gateway answers the request in flight, a worker exits
 * within its grace, and the dispatchers give back their claims at once (not after the lease).
 */
import * as http from 'node:http';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { CatalogService } from '@levensloop/catalog';
import { createDataSource } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';
import type { Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { sandboxRequest, startStack, type Stack } from '../support/stack';

jest.setTimeout(180_000);

const GRACE_MS = 1500;
let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let stack: Stack;
let auditors: Api[];
let registers: Api[];
let parents: string[];
let registerToken: string;

const sandbox = (method: string, route: string, body?: unknown) => sandboxRequest(stack, method, route, body);
const count = async (sql: string, params: unknown[] = []) => ((await ds.query(sql, params)) as Array<{ n: number }>)[0].n;
/** A birth registered in the sandbox's population, not delivered: the test posts the event itself. */
const birth = async () => (await sandbox('POST', '/_sandbox/events/births', { parents, deliver: false })).event;

/** Nothing left to fan out, send or push, twice in a row a little apart. */
async function settled() {
  const pending = () =>
    count(`SELECT ((SELECT count(*) FROM notifications WHERE fanned_out_at IS NULL)
                 + (SELECT count(*) FROM notification_deliveries WHERE status NOT IN ('delivered', 'expired', 'permanent_failure'))
                 + (SELECT count(*) FROM dossier_status_outbox WHERE status = 'pending'))::int AS n`);
  await pollUntil(
    'all messages and statuses out',
    async () => {
      if ((await pending()) > 0) return false;
      await new Promise((r) => setTimeout(r, 700));
      return (await pending()) === 0;
    },
    { timeoutMs: 60_000 },
  );
}

beforeAll(async () => {
  db = await createTestDatabase('e2e_scale');
  stack = await startStack(db.url, 'scale', { dispatcher: true, replicas: 2, env: { SHUTDOWN_GRACE_MS: String(GRACE_MS) } });
  ds = createDataSource(db.url);
  await ds.initialize();
  await new CatalogService(ds).applyDefinitions(path.resolve(__dirname, '../../infra/catalog'), { env: { SANDBOX_URL: stack.sandboxUrl } });
  const apis = [stack.api, stack.extra[0].api];
  const auditor = await stack.token({ role: 'auditor', sub: 'auditor-1' });
  registerToken = await stack.token({ role: 'source', source: 'national-register', sub: 'national-register' });
  auditors = apis.map((api) => api.as(auditor));
  registers = apis.map((api) => api.as(registerToken));
  parents = (await sandbox('GET', '/_sandbox/population/examples')).flemishCouple.parents;
});

afterAll(async () => {
  await stack?.stop();
  await ds?.destroy();
  await db?.drop();
});

test('two of each: every birth one journey, every message once, every dossier forward in order', async () => {
  const events = [];
  for (let i = 0; i < 4; i++) events.push(await birth());
  // Each event to both gateways at once: a source that retries on another replica starts nothing twice.
  const answers = await Promise.all(events.flatMap((event) => registers.map((api) => api.post('/events', event, { 'content-type': 'application/cloudevents+json' }))));
  for (const answer of answers) expect(answer.status).toBeLessThan(300);
  const children: string[] = events.map((e) => e.data.child.nationalNumber);
  const journeys = await Promise.all(
    children.map((child, i) =>
      pollUntil(`the journey of birth ${i}`, async () => {
        const res = await auditors[i % 2].get(`/journeys?subject=${child}&lifeEvent=birth-of-a-child`);
        return res.status === 200 && res.body.items.length ? res.body.items : undefined;
      }),
    ),
  );
  for (const items of journeys) expect(items).toHaveLength(1);
  await settled();

  const ids = journeys.map((items) => items[0].id as string);
  expect(await count(`SELECT count(*)::int AS n FROM source_events WHERE subject = ANY($1)`, [children])).toBe(children.length);
  const perJourney = await ds.query(
    `SELECT j.id, (SELECT count(*)::int FROM notifications n WHERE n.journey_id = j.id) AS notifications,
            (SELECT count(*)::int FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = j.id AND d.status = 'delivered') AS delivered,
            (SELECT count(*)::int FROM dossier_status_outbox o WHERE o.journey_id = j.id AND o.status = 'delivered') AS pushed,
            (SELECT max(seq) FROM dossier_status_outbox o WHERE o.journey_id = j.id) AS newest
       FROM journeys j WHERE j.id = ANY($1) ORDER BY j.id`,
    [ids],
  );
  expect(perJourney).toHaveLength(ids.length);

  // Every delivered e-mail in the sink once; every e-counter notice once per idempotency key.
  const { messages } = await sandbox('GET', '/_sandbox/mail');
  const mailIds: string[] = messages.map((m: any) => m.messageId);
  expect(new Set(mailIds).size).toBe(mailIds.length);
  const emails = await ds.query(`SELECT d.id FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = ANY($1) AND d.channel = 'email' AND d.status = 'delivered'`, [ids]);
  for (const d of emails) expect(mailIds.filter((id) => id === `<${d.id}@levensloop.local>`)).toHaveLength(1);
  const ecounterKeys: string[] = [];
  for (const person of [...parents, ...children]) {
    const notices = await sandbox('GET', `/_sandbox/ecounter/citizens/${person}/notifications`);
    ecounterKeys.push(...notices.notifications.map((n: any) => n.idempotencyKey));
  }
  expect(new Set(ecounterKeys).size).toBe(ecounterKeys.length);

  // The e-counter's dossier of each journey: every push in rising seq (none arrived late), ending at the newest change.
  const pushes = [];
  for (const row of perJourney) {
    const dossier = await sandbox('GET', `/_sandbox/ecounter/dossiers/${row.id}`);
    const received: number[] = dossier.history.map((h: any) => h.seq);
    const applied = dossier.history.filter((h: any) => h.applied).map((h: any) => h.seq);
    expect(received).toEqual([...new Set(received)].sort((a, b) => a - b));
    expect(applied).toEqual(received);
    expect(dossier.seq).toBe(row.newest);
    pushes.push({ journey: row.id, received: dossier.history.length, applied: applied.length, late: dossier.history.length - applied.length });
  }
  const outcomes = await Promise.all([stack.dispatcherUrl, stack.extra[0].dispatcherUrl].map(async (url) => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return [...text.matchAll(/^levensloop_dispatcher_sends_total\{[^}]*result="delivered"[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  }));
  // The figures of the run, for the record.
  process.stdout.write(`scale-out run: ${JSON.stringify({ journeys: ids.length, events: answers.length, perJourney, pushes, emails: emails.length, ecounterNotices: ecounterKeys.length, deliveredByDispatcher: outcomes })}\n`);
});

test('SIGTERM: the gateway answers the request in flight and takes no new connection', async () => {
  const replica = stack.extra[0];
  const event = await birth();
  const body = Buffer.from(JSON.stringify(event));
  const url = new URL(`${replica.gatewayUrl}/events`);
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/cloudevents+json', 'content-length': body.length, authorization: `Bearer ${registerToken}` } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    // Half the body now, the rest after the SIGTERM: the request is in flight when the signal comes.
    req.write(body.subarray(0, 100));
    setTimeout(() => req.end(body.subarray(100)), 500);
  });
  await new Promise((r) => setTimeout(r, 150));
  const exited = replica.gateway.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 100));
  await expect(fetch(`${replica.gatewayUrl}/health`)).rejects.toThrow();
  const res = await answer;
  expect(res.status).toBeLessThan(300);
  await exited;
  // The event it accepted started its journey.
  await pollUntil('the journey of the drained request', async () => {
    const r = await auditors[0].get(`/journeys?subject=${event.data.child.nationalNumber}&lifeEvent=birth-of-a-child`);
    return r.body.items?.length === 1;
  });
});

test('SIGTERM: a worker exits within its grace period, and the other one carries on', async () => {
  const worker = stack.extra[0].worker;
  const started = Date.now();
  await worker.kill('SIGTERM');
  const took = Date.now() - started;
  expect(worker.child.exitCode).toBe(0);
  expect(took).toBeLessThan(GRACE_MS + 2000);
  const event = await birth();
  expect((await registers[0].post('/events', event, { 'content-type': 'application/cloudevents+json' })).status).toBeLessThan(300);
  await pollUntil('a journey on the remaining worker', async () => {
    const r = await auditors[0].get(`/journeys?subject=${event.data.child.nationalNumber}&lifeEvent=birth-of-a-child`);
    return r.body.items?.length === 1;
  });
  await settled();
});

test('SIGTERM: the dispatchers give back what they claimed, for another dispatcher at once', async () => {
  // The e-counter answers slowly: sends and pushes are in flight when the signal comes.
  await sandbox('PUT', '/_sandbox/ecounter/behaviour', { latencyMs: 5000 });
  const event = await birth();
  expect((await registers[0].post('/events', event, { 'content-type': 'application/cloudevents+json' })).status).toBeLessThan(300);
  const leased = () =>
    count(`SELECT ((SELECT count(*) FROM notification_deliveries WHERE status = 'sending' AND sent_at IS NULL)
                 + (SELECT count(*) FROM dossier_status_outbox WHERE status = 'pending' AND attempts > 0 AND last_error IS NULL AND next_attempt_at > now()))::int AS n`);
  await pollUntil('claims in flight', async () => (await leased()) > 0, { intervalMs: 50 });
  const dispatchers = [stack.dispatcher!, stack.extra[0].dispatcher!];
  const started = Date.now();
  await Promise.all(dispatchers.map((d) => d.kill('SIGTERM')));
  expect(Date.now() - started).toBeLessThan(GRACE_MS + 3000);
  for (const d of dispatchers) expect(d.child.exitCode).toBe(0);
  // Nothing left leased (the lease is 30 s): all of it is due now.
  expect(await leased()).toBe(0);

  await sandbox('DELETE', '/_sandbox/ecounter/behaviour');
  const restarted = Date.now();
  await stack.restartDispatcher();
  await settled();
  // Taken at once, not after the 30 s lease.
  expect(Date.now() - restarted).toBeLessThan(25_000);
  const dossier = await sandbox('GET', `/_sandbox/ecounter/dossiers/${(await ds.query(`SELECT id FROM journeys WHERE subject_id = $1`, [event.data.child.nationalNumber]))[0].id}`);
  expect(dossier.history.filter((h: any) => h.applied).length).toBeGreaterThan(0);
});
