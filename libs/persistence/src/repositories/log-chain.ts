import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The logs whose rows are hash-chained (migration 1764700000000-append-only-logs). */
export const CHAINED_LOGS = ['audit_log', 'data_access_log'] as const;
export type ChainedLog = (typeof CHAINED_LOGS)[number];

export interface BrokenLink {
  log: ChainedLog;
  /** The first row whose link or content does not check out. */
  id: string;
  /** `content`: the row's columns no longer give its hash; `link`: its prev_hash is not the hash of the row before it. */
  kind: 'content' | 'link';
  message: string;
}

export interface LogChainReport {
  log: ChainedLog;
  rows: number;
  /** The last row and its hash: recorded elsewhere, it also shows later whether rows were cut off the end. */
  head?: { id: string; hash: string };
  /**
   * Where the chain now starts when retention removed a prefix (migration 1765600000000): the last
   * removed row's id, time and hash, recorded by the database when it removed them. The first
   * remaining row links to this hash.
   */
  anchor?: { upToId: string; upToAt: string; hash: string };
  broken?: BrokenLink;
}

const netstring = (s: string) => `${Buffer.byteLength(s, 'utf8')}:${s}`;

/**
 * The hash of one log row as the database's append trigger computes it: the log's name, then
 * every non-null column but `hash` by name in byte order, each name and value as
 * `<UTF-8 byte length>:<text>`. `columns` holds the values as PostgreSQL's `to_jsonb` prints
 * them (time zone UTC), each as text.
 */
export function logRowHash(log: string, columns: Array<[name: string, value: string | null]>): string {
  const parts = columns
    .filter(([name, value]) => name !== 'hash' && value !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => netstring(name) + netstring(value!));
  return createHash('sha256').update(netstring(log) + parts.join(''), 'utf8').digest('hex');
}

/**
 * Recomputes each log's chain from its first row, in id order, in pages (one consistent snapshot),
 * and stops at the first broken link of each log. The database only prints the values; hashing
 * and comparing happen here, so a changed trigger or function cannot vouch for itself.
 */
export async function verifyLogChains(ds: DataSource, options: { pageSize?: number } = {}): Promise<LogChainReport[]> {
  const pageSize = options.pageSize ?? 5000;
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    await runner.query(`SET LOCAL timezone = 'UTC'`);
    const reports: LogChainReport[] = [];
    for (const log of CHAINED_LOGS) {
      const report: LogChainReport = { log, rows: 0 };
      // A prefix removed by retention: the chain goes on from the hash recorded just below the first remaining row.
      const [anchor]: Array<{ up_to_id: string; up_to_at: string; hash: string }> = await runner.query(
        `SELECT up_to_id::text AS up_to_id, to_char(up_to_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS up_to_at, hash
           FROM log_chain_anchors WHERE log = $1 AND up_to_id < COALESCE((SELECT min(id) FROM ${log}), 'infinity'::numeric)
          ORDER BY up_to_id DESC LIMIT 1`,
        [log],
      );
      let prev: { id: string; hash: string; anchored?: boolean } | undefined = anchor ? { id: anchor.up_to_id, hash: anchor.hash, anchored: true } : undefined;
      if (anchor) report.anchor = { upToId: anchor.up_to_id, upToAt: anchor.up_to_at, hash: anchor.hash };
      let after = '-1';
      for (;;) {
        const rows: Array<{ id: string; hash: string | null; prev_hash: string | null; entry: Array<[string, string | null]> }> = await runner.query(
          `SELECT id::text AS id, hash, prev_hash,
                  (SELECT json_agg(json_build_array(key, value)) FROM jsonb_each_text(to_jsonb(l))) AS entry
             FROM ${log} l WHERE l.id > $1 ORDER BY l.id LIMIT $2`,
          [after, pageSize],
        );
        for (const row of rows) {
          report.rows++;
          if (!report.broken) report.broken = checkRow(log, row, prev);
          prev = { id: row.id, hash: row.hash ?? '' };
        }
        if (rows.length < pageSize) break;
        after = rows[rows.length - 1].id;
      }
      if (prev && !prev.anchored) report.head = { id: prev.id, hash: prev.hash };
      reports.push(report);
    }
    await runner.commitTransaction();
    return reports;
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw err;
  } finally {
    await runner.release();
  }
}

function checkRow(
  log: ChainedLog,
  row: { id: string; hash: string | null; prev_hash: string | null; entry: Array<[string, string | null]> },
  prev: { id: string; hash: string; anchored?: boolean } | undefined,
): BrokenLink | undefined {
  const expectedPrev = prev?.hash ?? null;
  if ((row.prev_hash ?? null) !== expectedPrev) {
    return {
      log,
      id: row.id,
      kind: 'link',
      message: prev?.anchored
        ? `prev_hash ${row.prev_hash ?? 'null'} of the first row after the removed prefix is not the hash ${prev.hash} recorded when rows up to id ${prev.id} were removed: rows after the anchor were removed or changed`
        : prev
        ? `prev_hash ${row.prev_hash ?? 'null'} is not the hash ${prev.hash} of the row before it (id ${prev.id}): that row was changed, or rows between were removed`
        : `prev_hash ${row.prev_hash ?? 'null'} on the first row of the log, where it must be empty: rows before it were removed`,
    };
  }
  const recomputed = logRowHash(log, row.entry);
  if (row.hash !== recomputed) {
    return { log, id: row.id, kind: 'content', message: `the row's content gives hash ${recomputed}, but it stores ${row.hash ?? 'null'}: the row was changed after it was written` };
  }
  return undefined;
}
