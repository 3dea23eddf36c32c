import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LevensloopConfig } from '@levensloop/config';
import type { Language, Translations } from '@levensloop/domain';
import {
  asLanguage,
  journeyLink,
  NOTIFICATION_CATEGORIES,
  renderMessage,
  statusAfterReports,
  storedMessage,
  TemplatesInForce,
  toDeliveryContext,
  type RenderedMessage,
} from '@levensloop/notifications';
import { Deliveries, NotificationContent, SmsReports } from '@levensloop/persistence';
import { hasRole, type Principal } from '../auth/principal';
import { CONFIG } from '../config.provider';
import { notFound, ProblemException } from '../common/problem';
import { isUuid, tr } from '../data-access/reading';
import { canSeeJourney } from '../journeys/journey-access';
import { MandatesService, ownIds } from '../mandates/mandates.service';
import { checkSmsReport, decodeUuidCursor, encodeUuidCursor, maskAddress, parseSmsReport, type SmsReportHeaders } from './notification-helpers';
import type { MyNotificationsQuery } from './notifications.dto';

/** Full-precision keyset value: JavaScript dates lose PostgreSQL's microseconds. */
const AT_KEY = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface InboxRow {
  id: string;
  category: string;
  journey_id: string;
  action_needed: boolean;
  created_at: Date;
  expires_at: Date | null;
  event_seq: number | null;
  at_key: string;
  subject_type: string;
  subject_id: string;
  delivery_id: string;
  language: string;
  /** The text the delivery went out with (null while it was not rendered yet). */
  subject: string | null;
  body: string | null;
  sms: string | null;
  as_subject: boolean;
  read_at: Date | null;
  channels: Array<{ channel: string; status: string }>;
  letter_id: string | null;
}

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
    private readonly mandates: MandatesService,
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
    const params: unknown[] = [ids];
    let after = '';
    if (q.cursor) {
      const c = decodeUuidCursor(q.cursor);
      after = `AND (n.created_at, coalesce(n.event_seq, 0), n.id) < ($${params.push(c.at)}::timestamptz, $${params.push(c.seq)}::int, $${params.push(c.id)}::uuid)`;
    }
    params.push(limit + 1);
    // Messages of one projection share their instant: the timeline order breaks the tie.
    const rows = await this.db.query<InboxRow[]>(
      `${INBOX_SQL} ${after} ORDER BY n.created_at DESC, coalesce(n.event_seq, 0) DESC, n.id DESC LIMIT $${params.length}`,
      params,
    );
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
    const rows = await this.db.query<InboxRow[]>(`${INBOX_SQL} AND n.id = $2`, [ids, id]);
    // Not yours and not there look the same: no probing of other people's messages.
    if (!rows[0]) throw notFound(`Notification ${id}`);
    return (await this.render(rows, lang))[0];
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
        categoryTitle: tr(NOTIFICATION_CATEGORIES[r.category]?.titles, language) ?? r.category,
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
      const link = journeyLink(this.config.notifications.citizenWebUrl, ctx.journey_id);
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
    const journeys: Array<{ subject_id: string; agencies: string[]; life_event_key: string }> = isUuid(journeyId)
      ? await this.db.query(`SELECT subject_id, agencies, life_event_key FROM journeys WHERE id = $1`, [journeyId])
      : [];
    const journey = journeys[0] ? { subjectId: journeys[0].subject_id, agencies: journeys[0].agencies, lifeEvent: journeys[0].life_event_key } : undefined;
    if (!journey || !(await canSeeJourney(p, journey, this.mandates))) {
      throw notFound(`Journey ${journeyId}`);
    }
    const all = seesEveryDelivery(p, journey);
    const params: unknown[] = [journeyId];
    const own = all ? '' : `AND d.recipient_id = ANY($${params.push(ownIds(p))})`;
    const [rows, pushes] = await Promise.all([
      this.db.query<Array<Record<string, any>>>(
        `SELECT n.id, n.category, n.node_key, n.action_needed, n.created_at, n.expires_at, n.fanned_out_at, n.transaction_id,
                d.id AS delivery_id, d.recipient_type, d.recipient_id, d.relation, d.channel, d.address, d.language, d.status,
                d.attempts, d.last_error, d.provider_ref, d.created_at AS queued_at, d.sent_at, d.delivered_at, d.read_at, d.next_attempt_at,
                d.subject, d.body, d.sms, d.template_version, d.rendered_at, l.id AS letter_id, l.printed_at
           FROM notifications n
           LEFT JOIN notification_deliveries d ON d.notification_id = n.id
           LEFT JOIN letters l ON l.delivery_id = d.id
          WHERE n.journey_id = $1 ${own}
          ORDER BY n.created_at, n.id, d.relation DESC, d.recipient_id, d.channel`,
        params,
      ),
      this.db.query<Array<Record<string, any>>>(
        `SELECT seq, status, attempts, created_at, delivered_at, last_error, payload->>'statusCode' AS status_code
           FROM dossier_status_outbox WHERE journey_id = $1 ORDER BY seq`,
        [journeyId],
      ),
    ]);
    // What was sent as it was stored; what is still to be sent as it would read now (expired: nothing).
    const previews = await this.renderNow(
      rows.filter((r) => r.delivery_id && r.status !== 'expired' && !storedMessage(r)).map((r) => ({ deliveryId: r.delivery_id, language: asLanguage(r.language) })),
    );
    const notifications = new Map<string, any>();
    for (const r of rows) {
      let n = notifications.get(r.id);
      if (!n) {
        n = {
          id: r.id,
          category: r.category,
          categoryTitle: tr(NOTIFICATION_CATEGORIES[r.category]?.titles as Translations | undefined, lang) ?? r.category,
          node: r.node_key ?? undefined,
          actionNeeded: r.action_needed,
          transactionId: r.transaction_id,
          createdAt: r.created_at,
          expiresAt: r.expires_at ?? undefined,
          fannedOutAt: r.fanned_out_at ?? undefined,
          deliveries: [],
        };
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
    const secret = this.config.notifications.sms.callbackSecret;
    if (!secret) {
      throw new ProblemException(503, 'Delivery reports cannot be checked: SMS_CALLBACK_SECRET is not set on the gateway.', { slug: 'callback-not-configured' });
    }
    const signed = checkSmsReport(rawBody, headers, secret);
    if (!signed.ok) throw new ProblemException(401, signed.detail, { slug: signed.slug, title: 'Unauthorized' });
    const parsed = parseSmsReport(body);
    if (!parsed.ok) {
      throw new ProblemException(400, `The delivery report has ${parsed.errors.length} problem(s): ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, {
        slug: 'invalid-request',
        title: 'Invalid request',
        errors: parsed.errors,
      });
    }
    const report = parsed.value;
    // Stored in the inbox for the dispatcher to apply; the answer says what it will make of it.
    const received = await this.smsReports.receive({
      reportId: signed.reportId,
      reference: report.reference && isUuid(report.reference) ? report.reference : null,
      messageId: report.id,
      status: report.status,
      at: report.at,
      error: report.error ?? null,
      signedAt: signed.signedAt,
    });
    if (!received.found) throw notFound(`An SMS delivery with reference ${JSON.stringify(report.reference)} or message id ${JSON.stringify(report.id)}`);
    const before = statusAfterReports(received.delivery.status, received.pending).status;
    // A report id seen before (a retry whose answer was lost, or a replay): answered as before, nothing changes.
    if (!received.stored) {
      this.logger.log(`SMS delivery ${received.delivery.id}: report ${signed.reportId} received again; ignored`);
      return { delivery: received.delivery.id, status: before, changed: false };
    }
    const after = statusAfterReports(before, [report]);
    if (after.changed) this.logger.log(`SMS delivery ${received.delivery.id}: ${after.status} (report ${report.id})`);
    return { delivery: received.delivery.id, status: after.status, changed: after.changed };
  }
}

/** Caseworkers of an agency involved in the journey, and auditors: every recipient's deliveries. */
function seesEveryDelivery(p: Principal, journey: { agencies: string[] }): boolean {
  if (hasRole(p, 'auditor')) return true;
  return hasRole(p, 'caseworker') && !!p.agency && journey.agencies.includes(p.agency);
}

/**
 * A delivery's text for caseworkers: `renderedAt` when it is the stored text it went out with,
 * absent for a preview of one not sent yet; `templateVersion` null for the built-in default.
 */
function messageView(r: Record<string, any>, message: RenderedMessage | undefined) {
  if (!message) return {};
  return {
    subject: message.subject,
    text: message.body,
    ...(r.channel === 'sms' ? { sms: message.sms } : {}),
    ...(r.rendered_at ? { templateVersion: r.template_version ?? null, renderedAt: r.rendered_at } : {}),
  };
}

/**
 * One row per message that reached one of `$1` (the caller's ids): the delivery to read it from
 * (one that went out, the e-counter's first), its language and stored text, whether any copy was
 * read, and the channels it went out on.
 */
const INBOX_SQL = `
  WITH mine AS (
    SELECT d.notification_id,
           (array_agg(d.id ORDER BY d.rendered_at IS NULL, (d.channel = 'ecounter') DESC, d.created_at, d.id))[1] AS delivery_id,
           bool_or(d.relation = 'subject') AS as_subject,
           min(d.read_at) AS read_at,
           json_agg(json_build_object('channel', d.channel, 'status', d.status) ORDER BY d.channel) AS channels,
           (array_agg(l.id) FILTER (WHERE l.id IS NOT NULL))[1] AS letter_id
      FROM notification_deliveries d
      LEFT JOIN letters l ON l.delivery_id = d.id
     WHERE d.recipient_id = ANY($1) AND d.status <> 'expired'
     GROUP BY d.notification_id)
  SELECT n.id, n.category, n.journey_id, n.action_needed, n.created_at, n.expires_at, n.event_seq, ${AT_KEY('n.created_at')} AS at_key,
         j.subject_type, j.subject_id, m.delivery_id, c.language, c.subject, c.body, c.sms, m.as_subject, m.read_at, m.channels, m.letter_id
    FROM mine m
    JOIN notification_deliveries c ON c.id = m.delivery_id
    JOIN notifications n ON n.id = m.notification_id
    JOIN journeys j ON j.id = n.journey_id
   WHERE true`;
