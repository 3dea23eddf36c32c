/**
 * The SMS gateway's delivery reports as an inbox on real PostgreSQL: the gateway's side stores a
 * report once per id and wakes the dispatcher (NOTIFY), the dispatcher's side applies the reports
 * in the order they came in; the answer the gateway gives follows from the same rule.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { reportOutcome, statusAfterReports } from '@levensloop/notifications';
import { createDataSource, Deliveries, NotificationContent, OUTBOX_CHANNEL, SmsReports, type IncomingSmsReport } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';
import { pollUntil } from '../support/poll';

jest.setTimeout(60_000);

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let deliveries: Deliveries;
let reports: SmsReports;

beforeAll(async () => {
  db = await createTestDatabase('smsinbox');
  ds = createDataSource(db.url);
  await ds.initialize();
  deliveries = new Deliveries(ds, new NotificationContent(ds));
  reports = new SmsReports(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

/** An SMS delivery sent and awaiting its report. */
async function sentSms(): Promise<string> {
  const notification = randomUUID();
  const delivery = randomUUID();
  const journey = randomUUID();
  await ds.query(
    `INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category, action_needed) VALUES ($1, $2, $3, $4, 'action.needed', true)`,
    [notification, notification, journey, journey],
  );
  await ds.query(
    `INSERT INTO notification_deliveries (id, notification_id, recipient_type, recipient_id, relation, channel, address, language, status, attempts, sent_at)
     VALUES ($1, $2, 'person', '85073003328', 'subject', 'sms', '+32470000000', 'nl', 'sending', 1, now())`,
    [delivery, notification],
  );
  return delivery;
}

const report = (delivery: string, status: 'delivered' | 'failed', at: string, error: string | null = null): IncomingSmsReport => ({
  reportId: randomUUID(),
  reference: delivery,
  messageId: `sms-${delivery.slice(0, 8)}`,
  status,
  at,
  error,
  signedAt: new Date(),
});

test('reports are stored once each, wake the dispatcher, and are applied in the order they came in', async () => {
  const listener = new Client({ connectionString: db.url });
  await listener.connect();
  const notices: string[] = [];
  listener.on('notification', (n) => notices.push(`${n.channel}:${n.payload}`));
  await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
  try {
    const delivery = await sentSms();
    const failed = report(delivery, 'failed', '2026-12-01T10:00:00.000Z', 'unreachable');
    const delivered = report(delivery, 'delivered', '2026-12-01T10:00:05.000Z');

    const first = await reports.receive(failed);
    expect(first).toEqual({ found: true, delivery: { id: delivery, status: 'sending' }, pending: [], stored: true });
    const second = await reports.receive(delivered);
    expect(second).toEqual({ found: true, delivery: { id: delivery, status: 'sending' }, pending: [{ status: 'failed', error: 'unreachable' }], stored: true });
    // What the gateway answers: the second report corrects the failure the first one makes.
    expect(statusAfterReports('sending', [failed])).toEqual({ status: 'permanent_failure', changed: true });
    expect(statusAfterReports('sending', [{ status: 'failed', error: 'unreachable' }, delivered])).toEqual({ status: 'delivered', changed: true });
    // The same report id again: recognised, nothing stored, no wake-up.
    expect(await reports.receive(failed)).toMatchObject({ found: true, stored: false });
    await pollUntil('two wake-ups', async () => (notices.length >= 2 ? notices : undefined));
    expect(notices).toEqual([`${OUTBOX_CHANNEL}:sms-report`, `${OUTBOX_CHANNEL}:sms-report`]);

    // Nothing changed on the delivery until the dispatcher applies them.
    expect((await ds.query(`SELECT status FROM notification_deliveries WHERE id = $1`, [delivery]))[0].status).toBe('sending');
    expect((await deliveries.dueWork(['sms'], 30)).smsReports).toBe(true);
    expect(await deliveries.applySmsReports(10, reportOutcome)).toBe(2);
    const [row] = await ds.query(`SELECT status, delivered_at, last_error, provider_ref FROM notification_deliveries WHERE id = $1`, [delivery]);
    expect(row).toEqual({ status: 'delivered', delivered_at: new Date('2026-12-01T10:00:05.000Z'), last_error: null, provider_ref: delivered.messageId });
    expect((await deliveries.dueWork(['sms'], 30)).smsReports).toBe(false);
    expect(await ds.query(`SELECT count(*)::int AS n FROM sms_delivery_reports WHERE delivery_id = $1 AND applied_at IS NOT NULL`, [delivery])).toEqual([{ n: 2 }]);

    // A late failure never undoes the delivery.
    const late = report(delivery, 'failed', '2026-12-01T10:01:00.000Z', 'late');
    expect(await reports.receive(late)).toEqual({ found: true, delivery: { id: delivery, status: 'delivered' }, pending: [], stored: true });
    expect(statusAfterReports('delivered', [late])).toEqual({ status: 'delivered', changed: false });
    expect(await deliveries.applySmsReports(10, reportOutcome)).toBe(1);
    expect((await ds.query(`SELECT status, last_error FROM notification_deliveries WHERE id = $1`, [delivery]))[0]).toEqual({ status: 'delivered', last_error: null });
  } finally {
    await listener.end();
  }
});

test('a report for no SMS delivery (by reference or message id) is not stored', async () => {
  expect(await reports.receive({ ...report(randomUUID(), 'delivered', new Date().toISOString()), messageId: 'sms-unknown' })).toEqual({ found: false });
  const delivery = await sentSms();
  // Found by the gateway's message id once the dispatcher recorded it, without our reference.
  await ds.query(`UPDATE notification_deliveries SET provider_ref = 'sms-42' WHERE id = $1`, [delivery]);
  expect(await reports.receive({ ...report(delivery, 'delivered', new Date().toISOString()), reference: null, messageId: 'sms-42' })).toMatchObject({ found: true, delivery: { id: delivery }, stored: true });
  expect(await deliveries.applySmsReports(10, reportOutcome)).toBe(1);
  expect((await ds.query(`SELECT status FROM notification_deliveries WHERE id = $1`, [delivery]))[0].status).toBe('delivered');
});
