import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an agency serves for each agency role (e.g. `{ "municipality": "44021" }`): the journey
 * routes a step named by role to the agency serving the subject's key. A GIN index answers
 * "who serves municipality 44021" with a containment query.
 */
export class AgencyServes1765910000000 implements MigrationInterface {
  name = 'AgencyServes1765910000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE agencies ADD COLUMN serves jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await db.query(`CREATE INDEX agencies_serves_idx ON agencies USING gin (serves jsonb_path_ops)`);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX agencies_serves_idx`);
    await db.query(`ALTER TABLE agencies DROP COLUMN serves`);
  }
}
