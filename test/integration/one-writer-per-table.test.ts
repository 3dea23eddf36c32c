/**
 * One writer per table (docs/tables.md), on a real PostgreSQL: the facts a second process used to
 * write into another's table live in tables of their writer's own, and the readers combine them.
 * Migration 1765100000000 moves existing facts there and back; a consent withdrawn after its
 * journey finished still counts (and is asked anew when given again); a print receipt, a read mark
 * and a register prefill are recorded once whatever else holds; an override sits next to the
 * decision, which stays the worker's.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { Consents, createDataSource, DecisionOverrides, Decisions, Deliveries, Letters, MIGRATIONS, NotificationContent, NotificationInbox, Preferences } from '@levensloop/persistence';
import { applyJourneyProjection } from '@levensloop/journeys';
import { createTestDatabase, migrationTime, runMigrations } from '../support/database';

jest.setTimeout(120_000);

const ONE_WRITER = 1765100000000;
const PERSON = '85073003328';
const JOURNEY = '0c5f6c1e-0000-4000-8000-000000000001';

/** A finished journey, a decision of it, a consent given in it, a message with an e-counter copy and a letter. */
async function seed(db: { query: (sql: string, params?: unknown[]) => Promise<unknown> }) {
  const ids = { notification: randomUUID(), ecounter: randomUUID(), letterDelivery: randomUUID(), letter: randomUUID(), consent: randomUUID() };
  await db.query(
    `INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type, subject_id, status, agencies, started_at, started_by, data, updated_at)
     VALUES ($1::uuid, $1::text, 'birth', 1, '{"en":"Birth"}', 'person', $2, 'completed', '{growth}', now(), 'test', '{}', now())`,
    [JOURNEY, PERSON],
  );
  for (const [node, outcome] of [['grant', 'deny'], ['referred', 'refer']]) {
    await db.query(
      `INSERT INTO decisions (journey_id, node_key, subject_type, subject_id, agency, step_key, step_version, rule_id, rule_version, inputs, outcome, branch, explanation)
       VALUES ($1, $2, 'person', $3, 'growth', $2, 1, 'rule', 1, '{}', $4, 0, '{"en":"Because"}')`,
      [JOURNEY, node, PERSON, outcome],
    );
  }
  await db.query(
    `INSERT INTO consents (id, subject_type, subject_id, agency, step_key, source, field, status, journey_id, node_key, given_by, given_at)
     VALUES ($1, 'person', $2, 'growth', 'visit', 'national-register', 'contact.phone', 'granted', $3, 'visit', $2, now() - interval '1 hour')`,
    [ids.consent, PERSON, JOURNEY],
  );
  await db.query(`INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category, fanned_out_at) VALUES ($1::uuid, $1::text, $2::uuid, $2::text, 'action.needed', now())`, [ids.notification, JOURNEY]);
  for (const [id, channel] of [[ids.ecounter, 'ecounter'], [ids.letterDelivery, 'letter']]) {
    await db.query(
      `INSERT INTO notification_deliveries (id, notification_id, recipient_type, recipient_id, relation, channel, language, status) VALUES ($1, $2, 'person', $3, 'subject', $4, 'nl', 'delivered')`,
      [id, ids.notification, PERSON, channel],
    );
  }
  await db.query(`INSERT INTO letters (id, delivery_id, recipient_id, link, pdf) VALUES ($1, $2, $3, 'https://example.org', '\\x25504446')`, [ids.letter, ids.letterDelivery, PERSON]);
  return ids;
}

describe('migration 1765100000000 moves the second writers\' facts into their own tables, and back', () => {
  let db: { url: string; drop: () => Promise<void> };
  let pg: Client;

  beforeAll(async () => {
    db = await createTestDatabase('it_one_writer_migration', { migrated: false });
    await runMigrations(db.url, MIGRATIONS.filter((m) => migrationTime(m) < ONE_WRITER));
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await db?.drop();
  });

  test('up and down', async () => {
    const ids = await seed(pg);
    await pg.query(`UPDATE decisions SET override_outcome = 'grant', override_reason = 'Moved', overridden_by = 'cw-1', overridden_at = now() WHERE node_key = 'grant'`);
    await pg.query(`UPDATE decisions SET override_outcome = 'deny', override_reason = 'Referred', overridden_by = 'cw-2', overridden_at = now() WHERE node_key = 'referred'`);
    await pg.query(`UPDATE consents SET status = 'withdrawn', withdrawn_at = now() WHERE id = $1`, [ids.consent]);
    await pg.query(`UPDATE letters SET printed_at = '2026-12-01T10:00:00Z' WHERE id = $1`, [ids.letter]);
    await pg.query(`UPDATE notification_deliveries SET read_at = '2026-12-01T11:00:00Z' WHERE id = $1`, [ids.ecounter]);
    await pg.query(`INSERT INTO contact_preferences (subject_type, subject_id, prefilled, updated_by) VALUES ('person', '11111111111', '{"language":"fr"}', 'levensloop/notify')`);
    await pg.query(`INSERT INTO contact_preferences (subject_type, subject_id, language, prefilled, updated_by) VALUES ('person', $1, 'en', '{"language":"nl"}', $1)`, [PERSON]);

    await runMigrations(db.url, MIGRATIONS.filter((m) => migrationTime(m) <= ONE_WRITER)); // up to the one under test: later migrations are not its to undo
    const q = async (sql: string, params: unknown[] = []) => (await pg.query(sql, params)).rows;
    expect(await q(`SELECT journey_id, node_key, outcome, reason, overridden_by FROM decision_overrides`)).toEqual([{ journey_id: JOURNEY, node_key: 'grant', outcome: 'grant', reason: 'Moved', overridden_by: 'cw-1' }]);
    // A referral's decision is the journey's (the worker's): it stays on the decision.
    expect(await q(`SELECT node_key, override_outcome FROM decisions ORDER BY node_key`)).toEqual([{ node_key: 'grant', override_outcome: null }, { node_key: 'referred', override_outcome: 'deny' }]);
    expect(await q(`SELECT status FROM consents`)).toEqual([{ status: 'granted' }]);
    expect(await q(`SELECT consent_id FROM consent_withdrawals`)).toEqual([{ consent_id: ids.consent }]);
    expect(await q(`SELECT letter_id, printed_at FROM letter_prints`)).toEqual([{ letter_id: ids.letter, printed_at: new Date('2026-12-01T10:00:00Z') }]);
    expect(await q(`SELECT delivery_id, read_at FROM delivery_reads`)).toEqual([{ delivery_id: ids.ecounter, read_at: new Date('2026-12-01T11:00:00Z') }]);
    expect(await q(`SELECT subject_id, prefilled FROM contact_prefills ORDER BY subject_id`)).toEqual([
      { subject_id: '11111111111', prefilled: { language: 'fr' } },
      { subject_id: PERSON, prefilled: { language: 'nl' } },
    ]);
    // The row that only held the register's values goes; the person's own choices stay.
    expect(await q(`SELECT subject_id, language FROM contact_preferences`)).toEqual([{ subject_id: PERSON, language: 'en' }]);
    const moved = await q(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE (table_name, column_name) IN (('consents', 'withdrawn_at'), ('letters', 'printed_at'), ('notification_deliveries', 'read_at'), ('contact_preferences', 'prefilled'))`,
    );
    expect(moved).toEqual([]);

    const ds = createDataSource(db.url, { migrations: MIGRATIONS as never, migrationsTransactionMode: 'each' });
    await ds.initialize();
    try {
      // Down to before this migration (later ones, e.g. retention's, go down first).
      while (migrationTime((await ds.query(`SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1`))[0]) >= ONE_WRITER) await ds.undoLastMigration();
    } finally {
      await ds.destroy();
    }
    expect(await q(`SELECT node_key, override_outcome, override_reason, overridden_by FROM decisions ORDER BY node_key`)).toEqual([
      { node_key: 'grant', override_outcome: 'grant', override_reason: 'Moved', overridden_by: 'cw-1' },
      { node_key: 'referred', override_outcome: 'deny', override_reason: 'Referred', overridden_by: 'cw-2' },
    ]);
    expect(await q(`SELECT status, withdrawn_at IS NOT NULL AS withdrawn FROM consents`)).toEqual([{ status: 'withdrawn', withdrawn: true }]);
    expect(await q(`SELECT printed_at FROM letters`)).toEqual([{ printed_at: new Date('2026-12-01T10:00:00Z') }]);
    expect(await q(`SELECT channel, read_at FROM notification_deliveries ORDER BY channel`)).toEqual([
      { channel: 'ecounter', read_at: new Date('2026-12-01T11:00:00Z') },
      { channel: 'letter', read_at: null },
    ]);
    expect(await q(`SELECT subject_id, language, prefilled FROM contact_preferences ORDER BY subject_id`)).toEqual([
      { subject_id: '11111111111', language: null, prefilled: { language: 'fr' } },
      { subject_id: PERSON, language: 'en', prefilled: { language: 'nl' } },
    ]);
    const tables = await q(`SELECT table_name FROM information_schema.tables WHERE table_name IN ('decision_overrides', 'consent_withdrawals', 'letter_prints', 'delivery_reads', 'contact_prefills')`);
    expect(tables).toEqual([]);
  });
});

describe('the repositories combine each table with its facts', () => {
  let db: { url: string; drop: () => Promise<void> };
  let ds: DataSource;
  let ids: Awaited<ReturnType<typeof seed>>;

  beforeAll(async () => {
    db = await createTestDatabase('it_one_writer');
    ds = createDataSource(db.url);
    await ds.initialize();
    ids = await seed(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  test('a consent withdrawn after its journey finished is withdrawn for every fetch and shown so; given again, the new answer holds', async () => {
    const consents = new Consents(ds);
    expect(await consents.ofStep(PERSON, 'growth', 'visit')).toEqual([{ source: 'national-register', field: 'contact.phone', status: 'granted' }]);
    await ds.transaction(async (tx) => {
      expect((await consents.lock(tx, ids.consent))?.status).toBe('granted');
      await consents.withdraw(tx, ids.consent, 'parent');
    });
    expect(await consents.ofStep(PERSON, 'growth', 'visit')).toEqual([{ source: 'national-register', field: 'contact.phone', status: 'withdrawn' }]);
    const [shown] = await consents.visibleTo([PERSON], [], [PERSON]);
    expect(shown).toMatchObject({ id: ids.consent, status: 'withdrawn', withdrawn_at: expect.any(Date) });
    // The worker's row was not touched: its answer is still the one the citizen gave.
    expect((await ds.query(`SELECT status FROM consents WHERE id = $1`, [ids.consent]))[0].status).toBe('granted');

    // Asked again in a later journey and given: the newer answer wins over the older withdrawal.
    await consents.record({
      subject: { type: 'person', id: PERSON }, agency: 'growth', stepKey: 'visit', source: 'national-register', field: 'contact.phone',
      given: true, journeyId: JOURNEY, nodeKey: 'visit', givenBy: PERSON,
    });
    expect(await consents.ofStep(PERSON, 'growth', 'visit')).toEqual([{ source: 'national-register', field: 'contact.phone', status: 'granted' }]);
    expect((await consents.view(ids.consent))?.withdrawn_at).toBeNull();
  });

  test('an override sits next to the decision (the worker\'s row unchanged), once; taken back, the rule\'s outcome holds again', async () => {
    const decisions = new Decisions(ds);
    const overrides = new DecisionOverrides(ds);
    expect(await overrides.record(JOURNEY, 'grant', { outcome: 'grant', reason: 'Lives in Flanders', by: 'cw-1' })).toBe(true);
    expect(await overrides.record(JOURNEY, 'grant', { outcome: 'deny', reason: 'Second', by: 'cw-2' })).toBe(false);
    expect(await decisions.view(JOURNEY, 'grant')).toMatchObject({ outcome: 'deny', override_outcome: 'grant', override_reason: 'Lives in Flanders', overridden_by: 'cw-1' });
    expect((await ds.query(`SELECT override_outcome FROM decisions WHERE node_key = 'grant'`))[0].override_outcome).toBeNull();
    expect(await overrides.revert(JOURNEY, 'grant', 'grant', 'Another reason')).toBe(false);
    expect(await overrides.revert(JOURNEY, 'grant', 'grant', 'Lives in Flanders')).toBe(true);
    expect(await decisions.current(ds, JOURNEY, 'grant')).toMatchObject({ outcome: 'deny', override_outcome: null });
  });

  test('a referral\'s decision is the journey\'s: its projection records it on the decision once, with its audit row', async () => {
    const at = new Date().toISOString();
    const projection = (seq: number) => ({
      journeyId: JOURNEY,
      seq,
      status: 'completed' as const,
      completedAt: at,
      subject: { type: 'person' as const, id: PERSON },
      titles: { referred: { en: 'Premium' } },
      steps: [{ key: 'referred', agency: 'growth', kind: 'decision' as const, status: 'completed' as const, attempts: 1, completedAt: at, outcome: { result: 'rejected' as const, by: 'cw-referral' } }],
      events: [{ seq: 1, at, type: 'step.rejected' as const, step: 'referred', detail: { by: 'cw-referral', comment: 'No residence in Flanders' } }],
    });
    await applyJourneyProjection(ds, projection(1));
    await applyJourneyProjection(ds, projection(2)); // a projection sent again changes nothing more
    expect(await new Decisions(ds).view(JOURNEY, 'referred')).toMatchObject({ outcome: 'refer', override_outcome: 'deny', override_reason: 'No residence in Flanders', overridden_by: 'cw-referral' });
    const audit = await ds.query(`SELECT actor, action, target_id, detail FROM audit_log WHERE action = 'decision.referral_decided'`);
    expect(audit).toEqual([{ actor: 'cw-referral', action: 'decision.referral_decided', target_id: `${JOURNEY}/referred`, detail: { outcome: 'deny', reason: 'No residence in Flanders' } }]);
    expect(await ds.query(`SELECT 1 FROM decision_overrides WHERE node_key = 'referred'`)).toEqual([]);
  });

  test('a print receipt and a read mark count the first time; the inbox and the print queue show them', async () => {
    const letters = new Letters(ds);
    const first = await letters.markPrinted(ids.letter);
    expect(await letters.markPrinted(ids.letter)).toEqual(first);
    expect((await letters.page({ printed: true, limit: 10 })).map((l) => [l.id, l.printed_at])).toEqual([[ids.letter, first]]);
    expect(await letters.page({ printed: false, limit: 10 })).toEqual([]);

    const deliveries = new Deliveries(ds, new NotificationContent(ds));
    const inbox = new NotificationInbox(ds);
    expect((await inbox.find([PERSON], ids.notification))?.read_at).toBeNull();
    await deliveries.markRead(ids.notification, [PERSON]);
    const read = (await inbox.find([PERSON], ids.notification))?.read_at;
    expect(read).toEqual(expect.any(Date));
    await deliveries.markRead(ids.notification, [PERSON]);
    expect((await inbox.find([PERSON], ids.notification))?.read_at).toEqual(read);
    expect((await inbox.ofJourney(JOURNEY)).map((d) => [d.channel, !!d.read_at, d.printed_at])).toEqual(
      expect.arrayContaining([['ecounter', true, null], ['letter', true, first]]),
    );
  });

  test('the register\'s values are stored once, next to the person\'s own choices, which never touch them', async () => {
    const preferences = new Preferences(ds);
    const subject = '90010100123';
    expect(await preferences.find(subject)).toBeUndefined();
    await preferences.storePrefilled('person', subject, { language: 'fr', email: 'register@example.org' });
    await preferences.storePrefilled('person', subject, { language: 'de' });
    expect(await preferences.find(subject)).toMatchObject({ subject_id: subject, language: null, mandate_copies: null, prefilled: { language: 'fr', email: 'register@example.org' } });
    expect(await ds.query(`SELECT 1 FROM contact_preferences WHERE subject_id = $1`, [subject])).toEqual([]);
    const saved = await ds.transaction((tx) =>
      preferences.saveOwn(tx, { subject: { type: 'person', id: subject }, language: 'en', channels: ['email'], email: null, phone: null, postalAddress: null, mandateCopies: false, by: subject }),
    );
    expect(saved).toMatchObject({ language: 'en', mandate_copies: false, prefilled: { language: 'fr' } });
    expect(await ds.transaction((tx) => preferences.prefilledOf(tx, subject))).toEqual({ language: 'fr', email: 'register@example.org' });
  });
});
