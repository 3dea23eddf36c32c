/**
 * Notifications end to end, on the example catalog: a birth registered in the sandbox starts
 * "birth of a child"; the dispatcher (its own process) tells the child's dossier and both parents
 * (who hold a mandate) by e-mail in their language, puts the dossier on the e-counter with the
 * parents in its audience, writes the child a letter, and — killed and started again while it
 * works — sends no message twice.
 */
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { CatalogService } from '@levensloop/catalog';
import { createDataSource } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';
import type { Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { startStack, sandboxRequest, type Stack } from '../support/stack';

jest.setTimeout(240_000);

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let stack: Stack;
let auditor: Api;
let examples: any;

const sandbox = (method: string, route: string, body?: unknown) => sandboxRequest(stack, method, route, body);

beforeAll(async () => {
  db = await createTestDatabase('e2e_notify');
  stack = await startStack(db.url, 'notify', { dispatcher: true });
  ds = createDataSource(db.url);
  await ds.initialize();
  await new CatalogService(ds).applyDefinitions(path.resolve(__dirname, '../../infra/catalog'), { env: { SANDBOX_URL: stack.sandboxUrl } });
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  examples = await sandbox('GET', '/_sandbox/population/examples');
});

afterAll(async () => {
  await stack?.stop();
  await ds?.destroy();
  await db?.drop();
});

test('a birth: both parents told by e-mail in their language, the dossier on the e-counter for the child and the parents, a letter for the child; a dispatcher killed mid-way sends nothing twice', async () => {
  const parents: string[] = examples.flemishCouple.parents;
  const published = await sandbox('POST', '/_sandbox/events/births', { parents });
  const child: string = published.event.data.child.nationalNumber;
  const journey = await pollUntil('the journey', async () => {
    const res = await auditor.get(`/journeys?subject=${child}&lifeEvent=birth-of-a-child`);
    return res.status === 200 && res.body.items.length === 1 ? res.body.items[0] : undefined;
  });

  // Kill the dispatcher as soon as it has sent something, then start it again.
  await pollUntil('a first delivery', async () => {
    const [r] = await ds.query(`SELECT count(*)::int AS n FROM notification_deliveries WHERE status <> 'queued'`);
    return r.n > 0;
  }, { intervalMs: 20 });
  await stack.killDispatcher();
  await stack.restartDispatcher({ DISPATCHER_LEASE_MS: '1000' });

  const link = `${stack.gatewayUrl}/journeys/${journey.id}`;
  const emails = await pollUntil('journey.started by e-mail to both parents', async () => {
    const found = [];
    for (const parent of parents) {
      const person = await sandbox('GET', `/_sandbox/population/persons/${parent}`).catch(() => undefined);
      const address = person?.contact?.email ?? person?.person?.contact?.email;
      if (!address) return undefined;
      const { messages } = await sandbox('GET', `/_sandbox/mail?to=${encodeURIComponent(address)}`);
      const started = messages.filter((m: any) => m.text?.includes(link) && /gestart/.test(m.subject));
      if (started.length !== 1) return undefined;
      found.push(started[0]);
    }
    return found;
  });
  for (const mail of emails) {
    expect(mail.headers['content-language']).toBe('nl');
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@levensloop\.local>$/);
  }

  const dossier = await pollUntil('the dossier on the e-counter', async () => {
    try {
      return await sandbox('GET', `/_sandbox/ecounter/dossiers/${journey.id}`);
    } catch {
      return undefined;
    }
  });
  expect(dossier.audience).toEqual(expect.arrayContaining([child, ...parents]));
  expect(dossier.link).toBe(link);
  expect(dossier.subject).toEqual({ type: 'person', id: child });

  // The newborn has no e-mail or phone: the child's copy goes out on paper, to the family's address.
  const letter = await pollUntil('a letter for the child', async () => {
    const [l] = await ds.query(`SELECT l.link, l.postal_address FROM letters l JOIN notification_deliveries d ON d.id = l.delivery_id WHERE d.recipient_id = $1`, [child]);
    return l;
  });
  expect(letter.link).toBe(link);

  // Nothing twice: every delivered e-mail is in the sink exactly once, under its own Message-ID.
  await pollUntil('no e-mail left to send', async () => {
    const [r] = await ds.query(`SELECT count(*)::int AS n FROM notification_deliveries WHERE channel = 'email' AND status NOT IN ('delivered', 'expired', 'permanent_failure')`);
    return r.n === 0;
  });
  const delivered = await ds.query(`SELECT id FROM notification_deliveries WHERE channel = 'email' AND status = 'delivered'`);
  const { messages } = await sandbox('GET', '/_sandbox/mail');
  const ids = messages.map((m: any) => m.messageId);
  expect(new Set(ids).size).toBe(ids.length);
  for (const d of delivered) expect(ids.filter((id: string) => id === `<${d.id}@levensloop.local>`)).toHaveLength(1);
  const notices = await sandbox('GET', `/_sandbox/ecounter/citizens/${parents[0]}/notifications`);
  const keys = notices.notifications.map((n: any) => n.idempotencyKey);
  expect(new Set(keys).size).toBe(keys.length);

  // The dispatcher's metrics count what it sees in the database.
  const metrics = await (await fetch(`${stack.dispatcherUrl}/metrics`)).text();
  expect(metrics).toMatch(/levensloop_notification_deliveries\{channel="email",status="delivered"\} [1-9]/);
  expect(metrics).toMatch(/levensloop_notification_delay_seconds_count\{channel="ecounter"\} [1-9]/);
});
