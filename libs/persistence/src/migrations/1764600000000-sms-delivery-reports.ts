import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SMS gateway's delivery reports, one row per report id (X-Report-Id): a report delivered
 * again (a retry whose answer was lost, or a captured report replayed within its 5 minutes) is
 * recognised and changes nothing a second time.
 */
export class SmsDeliveryReports1764600000000 implements MigrationInterface {
  name = 'SmsDeliveryReports1764600000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sms_delivery_reports (
        report_id varchar(200) PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES notification_deliveries(id) ON DELETE CASCADE,
        status varchar(16) NOT NULL,
        signed_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sms_delivery_reports_delivery_idx ON sms_delivery_reports (delivery_id);
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS sms_delivery_reports`);
  }
}
