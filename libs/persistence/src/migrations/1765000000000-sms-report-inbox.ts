import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SMS gateway's delivery reports become an inbox: the gateway stores the verified report
 * (what it says, when, the error) and the dispatcher, the one writer of notification_deliveries,
 * applies it (`applied_at`). Reports stored before were applied when they came in.
 */
export class SmsReportInbox1765000000000 implements MigrationInterface {
  name = 'SmsReportInbox1765000000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE sms_delivery_reports
        ADD COLUMN message_id varchar(200),
        ADD COLUMN reported_at timestamptz,
        ADD COLUMN error text,
        ADD COLUMN applied_at timestamptz;
      UPDATE sms_delivery_reports SET applied_at = received_at;
      CREATE INDEX sms_delivery_reports_pending_idx ON sms_delivery_reports (received_at) WHERE applied_at IS NULL;
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX IF EXISTS sms_delivery_reports_pending_idx;
      ALTER TABLE sms_delivery_reports DROP COLUMN applied_at, DROP COLUMN error, DROP COLUMN reported_at, DROP COLUMN message_id;
    `);
  }
}
