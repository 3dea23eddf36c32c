import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One writer per table (docs/tables.md): the facts a second process used to write into another
 * process's table get tables of their own, owned by the process that learns them, and existing
 * rows move there:
 * - `decision_overrides` (gateway): a caseworker's override of a final decision (a referral
 *   decision stays on `decisions`, recorded by the worker's projection from the journey's answer);
 * - `consent_withdrawals` (gateway): a consent is withdrawn when a withdrawal is at least as new as
 *   the answer (`given_at`); asked again and given, the new answer wins as before;
 * - `letter_prints` (gateway): the print service's receipt;
 * - `delivery_reads` (gateway): a reader marking their copy of a message read;
 * - `contact_prefills` (dispatcher): what the register holds on a person, read once. Rows of
 *   `contact_preferences` that only held it (no choice of the person's) go.
 * The runtime login gets its rights on the new tables from the default privileges (1764700000000).
 */
export class OneWriterPerTable1765100000000 implements MigrationInterface {
  name = 'OneWriterPerTable1765100000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE decision_overrides (
        journey_id uuid NOT NULL,
        node_key varchar(64) NOT NULL,
        outcome varchar(16) NOT NULL,
        reason text NOT NULL,
        overridden_by varchar(200) NOT NULL,
        overridden_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (journey_id, node_key),
        FOREIGN KEY (journey_id, node_key) REFERENCES decisions (journey_id, node_key) ON DELETE CASCADE
      );
      INSERT INTO decision_overrides (journey_id, node_key, outcome, reason, overridden_by, overridden_at)
      SELECT journey_id, node_key, override_outcome, coalesce(override_reason, ''), coalesce(overridden_by, 'unknown'), coalesce(overridden_at, decided_at)
        FROM decisions WHERE override_outcome IS NOT NULL AND outcome <> 'refer';
      UPDATE decisions SET override_outcome = NULL, override_reason = NULL, overridden_by = NULL, overridden_at = NULL
       WHERE override_outcome IS NOT NULL AND outcome <> 'refer';

      CREATE TABLE consent_withdrawals (
        id bigserial PRIMARY KEY,
        consent_id uuid NOT NULL REFERENCES consents (id) ON DELETE CASCADE,
        withdrawn_at timestamptz NOT NULL DEFAULT now(),
        withdrawn_by varchar(200)
      );
      CREATE INDEX consent_withdrawals_consent_idx ON consent_withdrawals (consent_id, withdrawn_at DESC);
      -- Only a granted consent can be withdrawn: that is what the answer was.
      INSERT INTO consent_withdrawals (consent_id, withdrawn_at)
      SELECT id, coalesce(withdrawn_at, given_at) FROM consents WHERE status = 'withdrawn';
      UPDATE consents SET status = 'granted' WHERE status = 'withdrawn';
      ALTER TABLE consents DROP COLUMN withdrawn_at;

      CREATE TABLE letter_prints (
        letter_id uuid PRIMARY KEY REFERENCES letters (id) ON DELETE CASCADE,
        printed_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO letter_prints (letter_id, printed_at) SELECT id, printed_at FROM letters WHERE printed_at IS NOT NULL;
      ALTER TABLE letters DROP COLUMN printed_at;

      CREATE TABLE delivery_reads (
        delivery_id uuid PRIMARY KEY REFERENCES notification_deliveries (id) ON DELETE CASCADE,
        read_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO delivery_reads (delivery_id, read_at) SELECT id, read_at FROM notification_deliveries WHERE read_at IS NOT NULL;
      ALTER TABLE notification_deliveries DROP COLUMN read_at;

      CREATE TABLE contact_prefills (
        subject_id varchar(32) PRIMARY KEY,
        subject_type varchar(16) NOT NULL,
        prefilled jsonb NOT NULL,
        prefilled_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO contact_prefills (subject_id, subject_type, prefilled, prefilled_at)
      SELECT subject_id, subject_type, prefilled, updated_at FROM contact_preferences WHERE prefilled IS NOT NULL;
      DELETE FROM contact_preferences WHERE updated_by = 'levensloop/notify';
      ALTER TABLE contact_preferences DROP COLUMN prefilled;
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE contact_preferences ADD COLUMN prefilled jsonb;
      INSERT INTO contact_preferences (subject_type, subject_id, prefilled, updated_by, updated_at)
      SELECT subject_type, subject_id, prefilled, 'levensloop/notify', prefilled_at FROM contact_prefills
      ON CONFLICT (subject_id) DO UPDATE SET prefilled = EXCLUDED.prefilled;
      DROP TABLE contact_prefills;

      ALTER TABLE notification_deliveries ADD COLUMN read_at timestamptz;
      UPDATE notification_deliveries d SET read_at = r.read_at FROM delivery_reads r WHERE r.delivery_id = d.id;
      DROP TABLE delivery_reads;

      ALTER TABLE letters ADD COLUMN printed_at timestamptz;
      UPDATE letters l SET printed_at = p.printed_at FROM letter_prints p WHERE p.letter_id = l.id;
      DROP TABLE letter_prints;

      ALTER TABLE consents ADD COLUMN withdrawn_at timestamptz;
      UPDATE consents c SET status = 'withdrawn', withdrawn_at = w.withdrawn_at
        FROM (SELECT consent_id, max(withdrawn_at) AS withdrawn_at FROM consent_withdrawals GROUP BY consent_id) w
       WHERE w.consent_id = c.id AND c.status = 'granted' AND w.withdrawn_at >= c.given_at;
      DROP TABLE consent_withdrawals;

      UPDATE decisions d SET override_outcome = o.outcome, override_reason = o.reason, overridden_by = o.overridden_by, overridden_at = o.overridden_at
        FROM decision_overrides o WHERE o.journey_id = d.journey_id AND o.node_key = d.node_key;
      DROP TABLE decision_overrides;
    `);
  }
}
