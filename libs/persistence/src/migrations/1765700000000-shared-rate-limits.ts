import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate limits every replica shares (rate-limiter-flexible's PostgreSQL store, its table shape: a
 * key, the points used in the key's window, the window's end in epoch milliseconds): the
 * dispatchers' send rates per channel, and the gateways' request limits per address and principal.
 * One table per writer process. The runtime login gets its rights from the default privileges.
 * And a dossier-status change carries its lease (`leased_until`): with several dispatchers, a
 * journey's next change waits until the push in flight is recorded, so pushes keep their order.
 */
export class SharedRateLimits1765700000000 implements MigrationInterface {
  name = 'SharedRateLimits1765700000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE send_rate_limits (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint);
      CREATE TABLE request_rate_limits (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint);
      CREATE INDEX request_rate_limits_expire_idx ON request_rate_limits (expire);
      ALTER TABLE dossier_status_outbox ADD COLUMN leased_until timestamptz;
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE dossier_status_outbox DROP COLUMN leased_until; DROP TABLE IF EXISTS request_rate_limits; DROP TABLE IF EXISTS send_rate_limits;`);
  }
}
