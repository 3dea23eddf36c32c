import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a delivery said: the message rendered once, when the delivery is claimed for its first
 * send (subject, body, the SMS text and the template version, NULL for the built-in default).
 * A resend after a crash or a failure sends the same text under the same key, and the citizen
 * reads back what went out, whatever template is in force later. NULL: not rendered yet.
 */
export class DeliveryContent1764200000000 implements MigrationInterface {
  name = 'DeliveryContent1764200000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE notification_deliveries
        ADD COLUMN subject text,
        ADD COLUMN body text,
        ADD COLUMN sms text,
        ADD COLUMN template_version int,
        ADD COLUMN rendered_at timestamptz;
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE notification_deliveries
        DROP COLUMN rendered_at, DROP COLUMN template_version, DROP COLUMN sms, DROP COLUMN body, DROP COLUMN subject;
    `);
  }
}
