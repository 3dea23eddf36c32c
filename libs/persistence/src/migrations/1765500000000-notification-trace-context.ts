import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message remembers the trace that produced it: the projection writes the W3C `traceparent`
 * of its activity, and the dispatcher's send, picked from the outbox later, continues that trace.
 * Nullable: messages written before, or with tracing off, have none.
 */
export class NotificationTraceContext1765500000000 implements MigrationInterface {
  name = 'NotificationTraceContext1765500000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notifications ADD COLUMN trace_context varchar(64)`);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notifications DROP COLUMN trace_context`);
  }
}
