import type { DataSource, EntityManager } from 'typeorm';

/** What a repository runs its statements on: the DataSource, or a transaction's EntityManager. */
export type Db = DataSource | EntityManager;

/** Whether the database answers a trivial statement (readiness). */
export async function databaseAnswers(db: Db): Promise<boolean> {
  return db.query('SELECT 1').then(
    () => true,
    () => false,
  );
}
