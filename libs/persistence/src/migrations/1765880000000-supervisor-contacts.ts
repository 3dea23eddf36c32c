import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where an escalation's e-mail goes: each agency's supervisors (nothing else in the engine holds
 * their addresses: tokens carry no e-mail, and a supervisor who never signed in must be reached
 * too). A supervisor with `teams` is told of the escalations of those teams' steps; one without,
 * of every step of the agency. Written by the gateway (`PUT /agencies/{agency}/supervisors`).
 */
export class SupervisorContacts1765880000000 implements MigrationInterface {
  name = 'SupervisorContacts1765880000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE supervisor_contacts (
        id bigserial PRIMARY KEY,
        agency varchar(64) NOT NULL REFERENCES agencies(code) ON DELETE CASCADE,
        email varchar(254) NOT NULL,
        name varchar(200),
        language varchar(2) NOT NULL,
        teams text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency, email)
      );
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS supervisor_contacts`);
  }
}
