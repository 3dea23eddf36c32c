import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LevensloopConfig } from '@levensloop/config';
import { seesEveryDelivery, type Language } from '@levensloop/domain';
import {
  asLanguage,
  messageLink,
  categoryOf,
  renderMessage,
  statusAfterReports,
  storedMessage,
  TemplatesInForce,
  toDeliveryContext,
  type RenderedMessage,
} from '@levensloop/notifications';
import { Deliveries, NotificationContent, NotificationInbox, SmsReports, Templates, type InboxRow, type JourneyDeliveryRow } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { AccessService } from '../access/access.service';
import { CONFIG } from '../config.provider';
import { notFound } from '../common/problem';
import { isUuid, tr } from '../data-access/reading';
import { ownIds } from '../mandates/mandates.service';
import { decodeUuidCursor, encodeUuidCursor, maskAddress, parseSmsReport, signedReport, type SmsReportHeaders } from './notification-helpers';
import type { MyNotificationsQuery } from './notifications.dto';

/**
 * Messages as their recipients and caseworkers read them back: a citizen's own messages (and the
 * copies they got as mandate holder) with the text they were sent with, read receipts, a journey's
 * deliveries with their status for caseworkers, and the SMS gateway's delivery reports.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');
  private readonly content: NotificationContent;
  private readonly deliveries: Deliveries;
  private readonly smsReports: SmsReports;

  constructor(
    private readonly db: DataSource,
    private readonly inbox: NotificationInbox,
    private readonly templates: Templates,
    private readonly access: AccessService,
    @Inject(CONFIG) private readonly config: LevensloopConfig,
  ) {
    this.content = new NotificationContent(db);
    this.deliveries = new Deliveries(db, this.content);
    this.smsReports = new SmsReports(db);
  }

  // ---- a citizen's messages ------------------------------------------------------------------------

  /** Newest first; one item per message, whatever the channels it went out on. Messages that were never sent (expired) are left out. */
  async mine(p: Principal, q: MyNotificationsQuery) {
    const ids = ownIds(p);
    if (!ids.length) return { items: [], nextCursor: undefined };
    const limit = q.limit ?? 50;
    const rows = await this.inbox.page(ids, limit, q.cursor ? decodeUuidCursor(q.cursor) : undefined);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await this.render(page, q.lang),
      nextCursor: rows.length > limit && last ? encodeUuidCursor(last.at_key, last.id, last.event_seq ?? 0) : undefined,
    };
  }

  /**
   * Marks the caller's copies of a message read (the first time counts). No paper letter follows
   * a request its subject read; a mandate holder's read spares only the holder a paper copy.
   */
  async markRead(p: Principal, id: string, lang?: Language) {
    const ids = ownIds(p);
    if (!isUuid(id) || !ids.length) throw notFound(`Notification ${id}`);
    await this.deliveries.markRead(id, ids);
    const row = await this.inbox.find(ids, id);
    // Not yours and not there look the same: no probing of other people's messages.
    if (!row) throw notFound(`Notification ${id}`);
    return (await this.render([row], lang))[0];
  }

  /**
   * The text each message went out with, as the dispatcher stored it when it sent it. Rendered
   * now (with the template in force now) only when there is none yet (still queued) or the reader
   * asks for another language than it was sent in.
   */
  private async render(rows: InboxRow[], lang?: Language) {
    if (!rows.length) return [];
    const sent = new Map<string, RenderedMessage>();
    for (const r of rows) {
      const stored = storedMessage(r);
      if (stored && (!lang || lang === asLanguage(r.language))) sent.set(r.delivery_id, stored);
    }
    const rendered = await this.renderNow(
      rows.filter((r) => !sent.has(r.delivery_id)).map((r) => ({ deliveryId: r.delivery_id, language: lang ?? asLanguage(r.language) })),
    );
    return rows.map((r) => {
      const language = lang ?? asLanguage(r.language);
      const message = sent.get(r.delivery_id) ?? rendered.get(r.delivery_id);
      return {
        id: r.id,
        category: r.category,
        categoryTitle: tr(categoryOf(r.category)?.titles, language) ?? r.category,
        journeyId: r.journey_id,
        /** Whom the message is about; `as`: subject (yourself) or mandate (a copy as their representative). */
        about: { type: r.subject_type, id: r.subject_id },
        as: r.as_subject ? ('subject' as const) : ('mandate' as const),
        actionNeeded: r.action_needed,
        language,
        subject: message?.subject ?? '',
        text: message?.body ?? '',
        read: !!r.read_at,
        readAt: r.read_at ?? undefined,
        createdAt: r.created_at,
        expiresAt: r.expires_at ?? undefined,
        channels: r.channels,
        ...(r.letter_id ? { letterId: r.letter_id } : {}),
      };
    });
  }

  /** Deliveries rendered now, each in the language given, with the templates in force now. */
  private async renderNow(wanted: Array<{ deliveryId: string; language: Language }>): Promise<Map<string, RenderedMessage>> {
    const out = new Map<string, RenderedMessage>();
    if (!wanted.length) return out;
    const [contextOf, templates] = await Promise.all([this.content.contexts(wanted.map((w) => w.deliveryId)), this.content.templatesInForce()]);
    const inForce = new TemplatesInForce(templates);
    for (const w of wanted) {
      const ctx = contextOf.get(w.deliveryId);
      if (!ctx) continue;
      const link = messageLink(this.config.notifications.citizenWebUrl, ctx.category, ctx.journey_id);
      const context = toDeliveryContext(ctx);
      out.set(w.deliveryId, renderMessage(inForce.for(context.category, w.language, context.agency), context, w.language, link));
    }
    return out;
  }

  // ---- a journey's messages, for caseworkers -------------------------------------------------------

  /**
   * The messages of the journey with their deliveries and status, and the dossier-status pushes;
   * the access of GET /journeys/{id}. Caseworkers of the journey and auditors see
   * every delivery; anyone else (a citizen: the subject or a mandate holder) only the deliveries
   * addressed to themselves, so one parent does not see where the other parent's messages went.
   */
  async ofJourney(p: Principal, journeyId: string, lang: Language) {
    const journey = await this.access.visibleJourney(p, journeyId);
    const all = seesEveryDelivery(p, journey);
    const [rows, pushes] = await Promise.all([this.inbox.ofJourney(journeyId, all ? undefined : ownIds(p)), this.inbox.dossierPushes(journeyId)]);
    // What was sent as it was stored; what is still to be sent as it would read now (expired: nothing).
    const previews = await this.renderNow(
      rows.flatMap((r) => (r.delivery_id && r.status !== 'expired' && !storedMessage(r) ? [{ deliveryId: r.delivery_id, language: asLanguage(r.language) }] : [])),
    );
    const notifications = new Map<string, JourneyMessage>();
    for (const r of rows) {
      let n = notifications.get(r.id);
      if (!n) {
        n = journeyMessage(r, lang);
        notifications.set(r.id, n);
      }
      if (!r.delivery_id) continue;
      n.deliveries.push({
        id: r.delivery_id,
        recipient: { type: r.recipient_type, id: r.recipient_id },
        relation: r.relation,
        channel: r.channel,
        address: maskAddress(r.channel, r.address),
        language: r.language,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error ?? undefined,
        nextAttemptAt: r.status === 'queued' || r.status === 'temporary_failure' ? r.next_attempt_at : undefined,
        providerRef: r.provider_ref ?? undefined,
        queuedAt: r.queued_at,
        sentAt: r.sent_at ?? undefined,
        deliveredAt: r.delivered_at ?? undefined,
        readAt: r.read_at ?? undefined,
        ...messageView(r, storedMessage(r) ?? previews.get(r.delivery_id)),
        ...(r.letter_id ? { letter: { id: r.letter_id, printedAt: r.printed_at ?? undefined } } : {}),
        // Failed for good and sent once more on the next channel; or the delivery this one stands in for.
        ...(r.forwarded_to ? { forwardedTo: r.forwarded_to } : {}),
        ...(r.forwarded_from ? { forwardedFrom: r.forwarded_from } : {}),
      });
    }
    return {
      journeyId,
      /** `journey`: every delivery; `own`: only those addressed to the caller. */
      scope: all ? ('journey' as const) : ('own' as const),
      notifications: [...notifications.values()],
      dossierStatus: pushes.map((s) => ({
        seq: s.seq,
        status: s.status,
        statusCode: s.status_code ?? undefined,
        attempts: s.attempts,
        createdAt: s.created_at,
        deliveredAt: s.delivered_at ?? undefined,
        lastError: s.last_error ?? undefined,
      })),
    };
  }

  // ---- the SMS gateway's delivery reports ----------------------------------------------------------

  /**
   * A signed report settles the SMS delivery it names (by our reference, the delivery id that was
   * also the idempotency key, or by the gateway's message id). The same report again changes
   * nothing; a report never moves a delivery out of a final status it does not correct.
   */
  async smsReport(rawBody: Buffer | undefined, headers: SmsReportHeaders, body: unknown) {
    const { reportId, signedAt, report } = signedReport(rawBody, headers, body, { value: this.config.notifications.sms.callbackSecret, name: 'SMS_CALLBACK_SECRET', what: 'Delivery reports' }, parseSmsReport);
    // Stored in the inbox for the dispatcher to apply; the answer says what it will make of it.
    const received = await this.smsReports.receive({
      reportId,
      reference: report.reference && isUuid(report.reference) ? report.reference : null,
      messageId: report.id,
      status: report.status,
      at: report.at,
      error: report.error ?? null,
      signedAt,
    });
    if (!received.found) throw notFound(`An SMS delivery with reference ${JSON.stringify(report.reference)} or message id ${JSON.stringify(report.id)}`);
    const before = statusAfterReports(received.delivery.status, received.pending).status;
    // A report id seen before (a retry whose answer was lost, or a replay): answered as before, nothing changes.
    if (!received.stored) {
      this.logger.log(`SMS delivery ${received.delivery.id}: report ${reportId} received again; ignored`);
      return { delivery: received.delivery.id, status: before, changed: false };
    }
    const after = statusAfterReports(before, [report]);
    if (after.changed) this.logger.log(`SMS delivery ${received.delivery.id}: ${after.status} (report ${report.id})`);
    return { delivery: received.delivery.id, status: after.status, changed: after.changed };
  }
}

/** A journey's message as caseworkers see it, its deliveries added one by one. */
function journeyMessage(r: JourneyDeliveryRow, lang: Language) {
  return {
    id: r.id,
    category: r.category,
    categoryTitle: tr(categoryOf(r.category)?.titles, lang) ?? r.category,
    node: r.node_key ?? undefined,
    actionNeeded: r.action_needed,
    transactionId: r.transaction_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at ?? undefined,
    fannedOutAt: r.fanned_out_at ?? undefined,
    deliveries: [] as Array<Record<string, unknown>>,
  };
}
type JourneyMessage = ReturnType<typeof journeyMessage>;

/**
 * A delivery's text for caseworkers: `renderedAt` when it is the stored text it went out with,
 * absent for a preview of one not sent yet; `templateVersion` null for the built-in default.
 */
function messageView(r: JourneyDeliveryRow, message: RenderedMessage | undefined) {
  if (!message) return {};
  return {
    subject: message.subject,
    text: message.body,
    ...(r.channel === 'sms' ? { sms: message.sms } : {}),
    ...(r.rendered_at ? { templateVersion: r.template_version ?? null, renderedAt: r.rendered_at } : {}),
  };
}
