import { Injectable } from '@nestjs/common';
import { letterPrintAccess, mayReadLetter, printQueueScope } from '@levensloop/domain';
import { Letters, type LetterRow } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { AccessService } from '../access/access.service';
import { forbidden, notFound } from '../common/problem';
import { isUuid } from '../data-access/reading';
import { decodeUuidCursor, encodeUuidCursor } from './notification-helpers';
import type { LettersQuery } from './notifications.dto';

/**
 * Paper letters, the non-digital route of every message: the print queue and its receipts for the
 * platform's print service (role `print-service`) and caseworkers of the agencies in the journey,
 * the queue for auditors to read, and the PDF itself for them and for the person it is addressed to.
 */
@Injectable()
export class LettersService {
  constructor(
    private readonly letters: Letters,
    private readonly access: AccessService,
  ) {}

  /** Oldest first (the order they are printed in); caseworkers see the letters of journeys their agency is in. */
  async list(p: Principal, q: LettersQuery) {
    const scope = printQueueScope(p);
    if (!scope) throw forbidden('The print queue is for the print service, auditors and caseworkers.');
    const limit = q.limit ?? 50;
    const rows = await this.letters.page({
      agency: 'agency' in scope ? scope.agency : undefined,
      printed: q.printed,
      after: q.cursor ? decodeUuidCursor(q.cursor) : undefined,
      limit,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(viewOf), nextCursor: rows.length > limit && last ? encodeUuidCursor(last.at_key, last.id) : undefined };
  }

  async pdf(p: Principal, id: string): Promise<{ pdf: Buffer; id: string }> {
    const row = await this.find(id);
    if (!row || !mayReadLetter(p, { agencies: row.agencies, recipientId: row.recipient_id })) throw notFound(`Letter ${id}`);
    return { pdf: (await this.letters.pdf(id))!, id };
  }

  /** The print service's receipt: the first time counts; again answers the same letter. */
  async markPrinted(p: Principal, id: string) {
    const row = await this.find(id);
    if (!row || !(await this.access.resolve(p, letterPrintAccess(p, row)))) throw notFound(`Letter ${id}`);
    return viewOf({ ...row, printed_at: await this.letters.markPrinted(id) });
  }

  private async find(id: string): Promise<LetterRow | undefined> {
    return isUuid(id) ? this.letters.find(id) : undefined;
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
