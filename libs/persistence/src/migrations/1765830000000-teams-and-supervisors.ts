import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Teams and supervisors: a task keeps the team queue it is in (`team`, null: the whole agency's),
 * and an escalation tells the agency's supervisors (`supervisor_notices`, written by the journey
 * projection in the statement that records the escalation, once per step). The runtime login gets
 * its rights from the default privileges; a journey removed by retention takes its notices along.
 */
export class TeamsAndSupervisors1765830000000 implements MigrationInterface {
  name = 'TeamsAndSupervisors1765830000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE tasks ADD COLUMN team varchar(64);
      CREATE INDEX tasks_open_team_idx ON tasks (agency, team) WHERE status IN ('open', 'claimed');
      CREATE TABLE supervisor_notices (
        id bigserial PRIMARY KEY,
        dedup_key varchar(200) NOT NULL UNIQUE,
        journey_id uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
        node_key varchar(64) NOT NULL,
        agency varchar(64) NOT NULL,
        kind varchar(32) NOT NULL,
        task_id varchar(120),
        detail jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX supervisor_notices_agency_idx ON supervisor_notices (agency, created_at DESC);
      CREATE INDEX supervisor_notices_journey_idx ON supervisor_notices (journey_id);
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS supervisor_notices; DROP INDEX IF EXISTS tasks_open_team_idx; ALTER TABLE tasks DROP COLUMN IF EXISTS team;`);
  }
}
