import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each step row remembers the projection that wrote it, so projections may arrive in any order
 * (some ride along with agency calls) and a step never goes back to an older state.
 */
export class StepProjectionSeq1763900000000 implements MigrationInterface {
  name = 'StepProjectionSeq1763900000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE journey_steps ADD COLUMN projection_seq int NOT NULL DEFAULT 0`);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE journey_steps DROP COLUMN projection_seq`);
  }
}
