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

/** Journey ids are uuids: anything else is no journey (and would make PostgreSQL refuse the statement). */
export const isJourneyId = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
