import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dispatcher asks per channel what is due (queued or to retry, and `sending` whose lease ran
 * out after a crash) on every pass: both by index, per channel, so that neither a backlog on
 * another channel nor a long history of delivered messages makes a pass read the whole table.
 */
export class DeliveryClaimIndexes1764300000000 implements MigrationInterface {
  name = 'DeliveryClaimIndexes1764300000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX IF EXISTS notification_deliveries_due_idx;
      CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (channel, next_attempt_at) WHERE status IN ('queued', 'temporary_failure');
      CREATE INDEX notification_deliveries_lease_idx ON notification_deliveries (channel, updated_at) WHERE status = 'sending' AND sent_at IS NULL;
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX IF EXISTS notification_deliveries_lease_idx;
      DROP INDEX IF EXISTS notification_deliveries_due_idx;
      CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (next_attempt_at) WHERE status IN ('queued', 'temporary_failure');
    `);
  }
}
