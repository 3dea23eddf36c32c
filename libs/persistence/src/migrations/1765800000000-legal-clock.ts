import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The legal clock of a step (issue 15): `legal_clock` holds what the workflow keeps of it (since
 * when it is suspended and why, how long it stood still, its one extension) and `information` a
 * caseworker's request for information to the citizen (question, due date, answered). Both are
 * written by the journey projection alone, like the rest of the step row.
 */
export class LegalClock1765800000000 implements MigrationInterface {
  name = 'LegalClock1765800000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE journey_steps ADD COLUMN legal_clock jsonb, ADD COLUMN information jsonb;`);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE journey_steps DROP COLUMN information, DROP COLUMN legal_clock;`);
  }
}
