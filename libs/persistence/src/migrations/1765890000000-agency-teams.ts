import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Teams as catalog data: an agency registers its teams (a code and names in four languages); a
 * step version may name only a registered team once its agency has any. Written by the catalog
 * (gateway `POST /agencies/{code}/teams`, the CLI's agencies.yaml); read by the catalog and the
 * supervisor's reassignment.
 */
export class AgencyTeams1765890000000 implements MigrationInterface {
  name = 'AgencyTeams1765890000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE agency_teams (
        agency varchar(64) NOT NULL REFERENCES agencies(code) ON DELETE CASCADE,
        code varchar(64) NOT NULL,
        names jsonb NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        registered_by varchar(255) NOT NULL,
        PRIMARY KEY (agency, code)
      );
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS agency_teams;`);
  }
}
