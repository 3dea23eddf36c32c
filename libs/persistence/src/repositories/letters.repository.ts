import { queryRows } from '../query';
import type { Db } from './db';

export interface LetterRow {
  id: string;
  delivery_id: string;
  recipient_id: string;
  postal_address: Record<string, unknown> | null;
  link: string;
  created_at: Date;
  printed_at: Date | null;
  /** `created_at` with PostgreSQL's microseconds, for keyset cursors. */
  at_key: string;
  journey_id: string;
  notification_id: string;
  category: string;
  language: string;
  agencies: string[];
}

export interface LetterFilter {
  /** Only letters of journeys this agency is in. */
  agency?: string;
  printed?: boolean;
  after?: { at: string; id: string };
  /** Rows wanted; one more is read to know whether a next page exists. */
  limit: number;
}

const LETTER_SELECT = `
  SELECT l.id, l.delivery_id, l.recipient_id, l.postal_address, l.link, l.created_at, p.printed_at,
         to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key,
         n.journey_id, n.id AS notification_id, n.category, d.language, j.agencies
    FROM letters l
    LEFT JOIN letter_prints p ON p.letter_id = l.id
    JOIN notification_deliveries d ON d.id = l.delivery_id
    JOIN notifications n ON n.id = d.notification_id
    JOIN journeys j ON j.id = n.journey_id`;

/**
 * Paper letters as the print queue and its readers see them: the dispatcher writes the letters,
 * the gateway the print service's receipts (`letter_prints`, its own table).
 */
export class Letters {
  constructor(private readonly db: Db) {}

  /** Oldest first (the order they are printed in): `limit + 1` rows. */
  async page(f: LetterFilter): Promise<LetterRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.agency) where.push(`$${params.push(f.agency)} = ANY(j.agencies)`);
    if (f.printed !== undefined) where.push(f.printed ? 'p.printed_at IS NOT NULL' : 'p.printed_at IS NULL');
    if (f.after) where.push(`(l.created_at, l.id) > ($${params.push(f.after.at)}::timestamptz, $${params.push(f.after.id)}::uuid)`);
    params.push(f.limit + 1);
    return this.db.query(`${LETTER_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.created_at, l.id LIMIT $${params.length}`, params);
  }

  async find(id: string): Promise<LetterRow | undefined> {
    const rows: LetterRow[] = await this.db.query(`${LETTER_SELECT} WHERE l.id = $1`, [id]);
    return rows[0];
  }

  async pdf(id: string): Promise<Buffer | undefined> {
    const rows: Array<{ pdf: Buffer }> = await this.db.query(`SELECT pdf FROM letters WHERE id = $1`, [id]);
    return rows[0]?.pdf;
  }

  /** The print service's receipt: the first time counts (one round trip: the new receipt, else the one before). */
  async markPrinted(id: string): Promise<Date> {
    const [receipt] = await queryRows<{ printed_at: Date }>(
      this.db,
      `WITH receipt AS (INSERT INTO letter_prints (letter_id) VALUES ($1) ON CONFLICT (letter_id) DO NOTHING RETURNING printed_at)
       SELECT printed_at FROM receipt UNION ALL SELECT printed_at FROM letter_prints WHERE letter_id = $1`,
      [id],
    );
    return receipt.printed_at;
  }
}
