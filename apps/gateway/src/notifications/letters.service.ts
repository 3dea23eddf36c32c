import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '@levensloop/persistence';
import { hasRole, type Principal } from '../auth/principal';
import { forbidden, notFound } from '../common/problem';
import { isUuid } from '../data-access/reading';
import { ownIds } from '../mandates/mandates.service';
import { decodeUuidCursor, encodeUuidCursor } from './notification-helpers';
import type { LettersQuery } from './notifications.dto';

interface LetterRow {
  id: string;
  delivery_id: string;
  recipient_id: string;
  postal_address: Record<string, unknown> | null;
  link: string;
  created_at: Date;
  printed_at: Date | null;
  at_key: string;
  journey_id: string;
  notification_id: string;
  category: string;
  language: string;
  agencies: string[];
}

const LETTER_SELECT = `
  SELECT l.id, l.delivery_id, l.recipient_id, l.postal_address, l.link, l.created_at, l.printed_at,
         to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key,
         n.journey_id, n.id AS notification_id, n.category, d.language, j.agencies
    FROM letters l
    JOIN notification_deliveries d ON d.id = l.delivery_id
    JOIN notifications n ON n.id = d.notification_id
    JOIN journeys j ON j.id = n.journey_id`;

/**
 * Paper letters, the non-digital route of every message: the print queue and its receipts for the
 * platform's print service (role `print-service`) and caseworkers of the agencies in the journey,
 * the queue for auditors to read, and the PDF itself for them and for the person it is addressed to.
 */
@Injectable()
export class LettersService {
  constructor(private readonly db: DataSource) {}

  /** Oldest first (the order they are printed in); caseworkers see the letters of journeys their agency is in. */
  async list(p: Principal, q: LettersQuery) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (!hasRole(p, 'print-service', 'auditor')) {
      if (!hasRole(p, 'caseworker') || !p.agency) throw forbidden('The print queue is for the print service, auditors and caseworkers.');
      where.push(`$${params.push(p.agency)} = ANY(j.agencies)`);
    }
    if (q.printed !== undefined) where.push(q.printed ? 'l.printed_at IS NOT NULL' : 'l.printed_at IS NULL');
    if (q.cursor) {
      const c = decodeUuidCursor(q.cursor);
      where.push(`(l.created_at, l.id) > ($${params.push(c.at)}::timestamptz, $${params.push(c.id)}::uuid)`);
    }
    const limit = q.limit ?? 50;
    params.push(limit + 1);
    const rows = await this.db.query<LetterRow[]>(
      `${LETTER_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.created_at, l.id LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(viewOf), nextCursor: rows.length > limit && last ? encodeUuidCursor(last.at_key, last.id) : undefined };
  }

  async pdf(p: Principal, id: string): Promise<{ pdf: Buffer; id: string }> {
    const row = await this.find(id);
    const addressee = ownIds(p).includes(row?.recipient_id ?? '');
    if (!row || !(addressee || this.mayHandle(p, row))) throw notFound(`Letter ${id}`);
    const [{ pdf }] = await this.db.query<Array<{ pdf: Buffer }>>(`SELECT pdf FROM letters WHERE id = $1`, [id]);
    return { pdf, id };
  }

  /** The print service's receipt: the first time counts; again answers the same letter. */
  async markPrinted(p: Principal, id: string) {
    const row = await this.find(id);
    if (!row || !this.mayHandle(p, row)) throw notFound(`Letter ${id}`);
    if (hasRole(p, 'auditor') && !hasRole(p, 'print-service', 'caseworker')) throw forbidden('Auditors read letters; the print service marks them printed.');
    const [updated] = await queryRows<{ printed_at: Date }>(this.db, `UPDATE letters SET printed_at = coalesce(printed_at, now()) WHERE id = $1 RETURNING printed_at`, [id]);
    return viewOf({ ...row, printed_at: updated.printed_at });
  }

  private async find(id: string): Promise<LetterRow | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await this.db.query<LetterRow[]>(`${LETTER_SELECT} WHERE l.id = $1`, [id]);
    return rows[0];
  }

  private mayHandle(p: Principal, row: LetterRow): boolean {
    if (hasRole(p, 'print-service', 'auditor')) return true;
    return hasRole(p, 'caseworker') && !!p.agency && row.agencies.includes(p.agency);
  }
}

function viewOf(r: LetterRow) {
  return {
    id: r.id,
    journeyId: r.journey_id,
    notificationId: r.notification_id,
    deliveryId: r.delivery_id,
    category: r.category,
    language: r.language,
    recipientId: r.recipient_id,
    postalAddress: r.postal_address ?? undefined,
    link: r.link,
    createdAt: r.created_at,
    printedAt: r.printed_at ?? undefined,
    pdf: `/letters/${r.id}`,
  };
}
