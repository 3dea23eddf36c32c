import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { queryRows } from '../query';
import type { Db } from './db';

/** The pg pool under the one DataSource (for named statements, row counts and LISTEN). */
export function poolOf(ds: DataSource): Pool {
  return (ds.driver as unknown as { master: Pool }).master;
}

/** Rows of a statement, typed; named (prepared once per connection) when `name` is given and `db` is the DataSource. */
export async function rows<T>(db: Db, sql: string, params: unknown[] = [], name?: string): Promise<T[]> {
  if ('driver' in db) return (await poolOf(db).query(name ? { name, text: sql, values: params } : { text: sql, values: params })).rows as T[];
  return queryRows<T>(db, sql, params);
}

/** How many rows a statement inserted or changed. */
export async function count(db: Db, sql: string, params: unknown[] = []): Promise<number> {
  if ('driver' in db) return (await poolOf(db).query(sql, params)).rowCount ?? 0;
  const result = await db.queryRunner!.query(sql, params, true);
  return result.affected ?? 0;
}

/** Columns of rows as arrays, for `unnest($1::…[], $2::…[])`. */
export function columns<T, K extends keyof T>(items: readonly T[], keys: readonly K[]): Array<Array<T[K]>> {
  return keys.map((k) => items.map((item) => item[k]));
}
