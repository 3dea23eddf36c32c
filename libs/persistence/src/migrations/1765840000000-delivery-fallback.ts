import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message that cannot be delivered reaches the person anyway. A delivery that failed for good on
 * a channel that reaches the person (an e-mail bounced, an SMS to a number out of service) is
 * forwarded once to the next channel: `fallback_checked_at` says the fallback was decided (a
 * partial index finds the undecided ones), `forwarded_to` the channel it went to (null: none was
 * needed or left), `forwarded_from` on the new delivery the one it replaces. Failures recorded
 * before are left as they were (decided). And the mail side's delivery reports (bounces) get an
 * inbox like the SMS gateway's: the gateway stores each verified report once, by its id; the
 * dispatcher applies it (`applied_at`).
 */
export class DeliveryFallback1765840000000 implements MigrationInterface {
  name = 'DeliveryFallback1765840000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE notification_deliveries
        ADD COLUMN fallback_checked_at timestamptz,
        ADD COLUMN forwarded_to varchar(16),
        ADD COLUMN forwarded_from uuid;
      UPDATE notification_deliveries SET fallback_checked_at = updated_at WHERE status = 'permanent_failure';
      CREATE INDEX notification_deliveries_fallback_idx ON notification_deliveries (updated_at) WHERE status = 'permanent_failure' AND fallback_checked_at IS NULL;

      CREATE TABLE email_delivery_reports (
        report_id varchar(200) PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES notification_deliveries(id) ON DELETE CASCADE,
        status varchar(16) NOT NULL,
        signed_at timestamptz NOT NULL,
        message_id varchar(200),
        reported_at timestamptz,
        error text,
        received_at timestamptz NOT NULL DEFAULT now(),
        applied_at timestamptz
      );
      CREATE INDEX email_delivery_reports_delivery_idx ON email_delivery_reports (delivery_id);
      CREATE INDEX email_delivery_reports_pending_idx ON email_delivery_reports (received_at) WHERE applied_at IS NULL;
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE IF EXISTS email_delivery_reports;
      DROP INDEX IF EXISTS notification_deliveries_fallback_idx;
      ALTER TABLE notification_deliveries DROP COLUMN forwarded_from, DROP COLUMN forwarded_to, DROP COLUMN fallback_checked_at;
    `);
  }
}
