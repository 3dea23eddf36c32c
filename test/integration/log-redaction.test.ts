/**
 * No personal data in logs: the built gateway and dispatcher as processes, their output read as
 * written. A national number in a request URL (query and path) and in the dispatcher's line about
 * a recipient shows only as its keyed hash (LOG_PSEUDONYM_KEY), an e-mail address masked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@levensloop/persistence';
import { freePort, waitForHttp } from '@levensloop/runtime';
import { startSandbox, type RunningSandbox } from '../../apps/sandbox/src';
import { createTestDatabase } from '../support/database';
import { pollUntil } from '../support/poll';

jest.setTimeout(120_000);

const root = path.resolve(__dirname, '../..');
const KEY = 'log-redaction-test-key-0123456789abcdef';
const NATIONAL_NUMBER = '85073003328';
const EMAIL = 'jan.peeters@example.be';
const hashOf = (digits: string) => `nn:${createHmac('sha256', KEY).update(digits).digest('hex').slice(0, 16)}`;

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let sandbox: RunningSandbox;
let env: Record<string, string>;
const children: ChildProcess[] = [];

/** A built app as a process, every line it writes kept. */
async function startApp(app: string, extra: Record<string, string>, readyUrl: string): Promise<string[]> {
  const lines: string[] = [];
  const child = spawn(process.execPath, [path.join(root, 'dist/apps', app, 'src/main.js')], { env: { ...process.env, ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  for (const stream of [child.stdout!, child.stderr!]) readline.createInterface({ input: stream }).on('line', (line) => lines.push(line));
  await waitForHttp(readyUrl, 60_000, child).catch((err: Error) => {
    throw new Error(`${app} did not start: ${err.message}\n${lines.join('\n')}`);
  });
  return lines;
}

beforeAll(async () => {
  db = await createTestDatabase('logs');
  ds = createDataSource(db.url);
  await ds.initialize();
  sandbox = await startSandbox({ port: 0, smtpPort: 0 });
  env = {
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    TEMPORAL_TASK_QUEUE: `it-logs-${Date.now()}`,
    OIDC_ISSUER: `${sandbox.url}/oidc`,
    SANDBOX_URL: sandbox.url,
    SMTP_URL: `smtp://127.0.0.1:${sandbox.smtpPort}`,
    ECOUNTER_URL: `${sandbox.url}/ecounter`,
    ECOUNTER_TOKEN: 'sandbox-ecounter-token',
    LOG_LEVEL: 'info',
    LOG_PSEUDONYM_KEY: KEY,
  };
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
  await sandbox?.close();
  await ds?.destroy();
  await db?.drop();
});

test("the gateway's request log: a national number in the query and the path only as its keyed hash, an e-mail address masked", async () => {
  const port = await freePort();
  const lines = await startApp('gateway', { GATEWAY_PORT: String(port) }, `http://127.0.0.1:${port}/health`);
  const token = (await (await fetch(`${sandbox.url}/oidc/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'auditor' }) })).json()) as { access_token: string };
  const get = (route: string) => fetch(`http://127.0.0.1:${port}${route}`, { headers: { authorization: `Bearer ${token.access_token}` } });
  await get(`/journeys?subject=${NATIONAL_NUMBER}&status=running`);
  await get(`/journeys/${NATIONAL_NUMBER}`);
  await get(`/journeys?subject=${encodeURIComponent(EMAIL)}`);
  const requests = await pollUntil('three request lines', async () => {
    const logged = lines.filter((l) => l.includes('"url":"/journeys'));
    return logged.length >= 3 ? logged : undefined;
  });
  const output = lines.join('\n');
  expect(output).not.toContain(NATIONAL_NUMBER);
  expect(output).not.toContain('jan.peeters');
  const urls = requests.map((l) => JSON.parse(l).req.url);
  expect(urls).toEqual(
    expect.arrayContaining([`/journeys?subject=${hashOf(NATIONAL_NUMBER)}&status=running`, `/journeys/${hashOf(NATIONAL_NUMBER)}`, '/journeys?subject=j***%40example.be']),
  );
  // The parsed query and path parameters are hashed as well.
  const first = JSON.parse(requests.find((l) => l.includes('status=running'))!);
  expect(first.req.query).toEqual({ subject: hashOf(NATIONAL_NUMBER), status: 'running' });
});

test("the dispatcher's line about a recipient names them by the hash only", async () => {
  const journeyId = randomUUID();
  await ds.query(
    `INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type, subject_id, status, agencies, started_at, started_by, data, updated_at)
     VALUES ($1::uuid, $1::text, 'birth', 1, '{"nl":"Geboorte"}', 'person', $2, 'running', '{}', now(), 'test', '{}', now())`,
    [journeyId, NATIONAL_NUMBER],
  );
  await ds.query(`INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category) VALUES (gen_random_uuid(), $1::text, $1::uuid, $1::text, 'journey.started')`, [journeyId]);
  const port = await freePort();
  // The register does not answer: the dispatcher says whose contact details it could not read.
  const dead = await freePort();
  const lines = await startApp(
    'dispatcher',
    { DISPATCHER_PORT: String(port), SOURCES_URL: `http://127.0.0.1:${dead}/sources`, SOURCES_TOKEN: 'x', DISPATCHER_POLL_MS: '200' },
    `http://127.0.0.1:${port}/health`,
  );
  const line = await pollUntil('the line about the unread contact details', async () => lines.find((l) => l.includes('contact details could not be read')));
  expect(JSON.parse(line)).toMatchObject({ subject: hashOf(NATIONAL_NUMBER) });
  expect(lines.join('\n')).not.toContain(NATIONAL_NUMBER);
});

test("the gateway's request log leaves out a decode's purpose (it may name people; the audit log keeps it)", async () => {
  const port = await freePort();
  const lines = await startApp('gateway', { GATEWAY_PORT: String(port) }, `http://127.0.0.1:${port}/health`);
  const token = (await (await fetch(`${sandbox.url}/oidc/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'auditor' }) })).json()) as { access_token: string };
  const purpose = `complaint of Jan Peeters ${randomUUID()}`;
  const res = await fetch(`http://127.0.0.1:${port}/codec/decode`, { method: 'POST', headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json', 'x-purpose': purpose }, body: JSON.stringify({ payloads: [] }) });
  expect(res.status).toBe(200);
  const line = await pollUntil('the decode request line', async () => lines.find((l) => l.includes('"url":"/codec/decode"')));
  expect(JSON.parse(line).req.headers['x-purpose']).toBe('[Redacted]');
  expect(lines.join('\n')).not.toContain('Jan Peeters');
  expect((await ds.query(`SELECT detail->>'purpose' AS purpose FROM audit_log WHERE action = 'codec.decode'`)).map((r: { purpose: string }) => r.purpose)).toEqual([purpose]);
});
