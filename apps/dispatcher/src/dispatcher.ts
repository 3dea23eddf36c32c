import { randomUUID } from 'node:crypto';
import { Client, Pool, type PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { LevensloopConfig } from '@levensloop/config';
import { addDuration, durationToMs, LANGUAGES, type Language, type Translations } from '@levensloop/domain';
import { Mandates } from '@levensloop/persistence';
import {
  ACTIVE_TEMPLATES_SQL,
  asLanguage,
  channelsFor,
  DELIVERY_CONTEXT_SQL,
  dossierActionNeeded,
  dossierPhase,
  dossierStatusCode,
  effectiveContact,
  journeyLink,
  pick,
  renderLetterPdf,
  renderMessage,
  storedMessage,
  TEMPLATES_CHANNEL,
  TemplatesInForce,
  TokenBucket,
  toDeliveryContext,
  type Channel,
  type ContactRecord,
  type DossierView,
  type ScopedTemplate,
} from '@levensloop/notifications';
import { loggedRead, type AccessLogEntry, type SourceClient } from '@levensloop/sources';
import type { Metrics } from './metrics';
import { Senders, type SendResult } from './senders';

/** Why the engine reads contact details from the national register (shown in the citizen's access log). */
const PURPOSE: Translations = {
  nl: 'U op de hoogte houden van uw dossier',
  fr: 'Vous tenir informé(e) de votre dossier',
  de: 'Sie über Ihre Akte auf dem Laufenden halten',
  en: 'Keep you informed about your file',
};
const LEGAL_BASIS = { type: 'law', reference: 'Decreet van 18 juli 2008 betreffende het elektronische bestuurlijke gegevensverkeer' };
const PERSON_FIELDS = ['name.given', 'name.family', 'preferredLanguage', 'contact.email', 'contact.phone', 'address'];
const ENTERPRISE_FIELDS = ['name', 'contact.email', 'seatAddress'];
const SEND_CHANNELS: Channel[] = ['ecounter', 'email', 'sms', 'letter'];

/**
 * A delivery to send now, in the two ways the probe and the claim both ask for it (each by an
 * index): queued or to retry and due, or `sending` whose lease ran out (a crash before recording).
 * `lease` is the placeholder of the lease in seconds.
 */
const DUE_QUEUED = `status IN ('queued', 'temporary_failure') AND next_attempt_at <= now()`;
const leaseRunOut = (lease: string) => `status = 'sending' AND sent_at IS NULL AND updated_at < now() - make_interval(secs => ${lease})`;

export interface DispatcherOptions {
  config: LevensloopConfig;
  sources: SourceClient;
  logger: Logger;
  metrics?: Metrics;
  /** Test hook (DISPATCHER_TEST_EXIT_AFTER_SEND): exit right after a send of this channel, before recording it. */
  exitAfterSend?: string;
}

interface ClaimedDelivery {
  id: string;
  notification_id: string;
  recipient_type: string;
  recipient_id: string;
  channel: Channel;
  address: string | null;
  language: Language;
  attempts: number;
  /** What it says: rendered in the claim that first took it, the same for every resend. */
  subject: string | null;
  body: string | null;
  sms: string | null;
}

/** A claimed delivery with its row of DELIVERY_CONTEXT_SQL (none: the journey is not in the read model). */
interface Claim {
  d: ClaimedDelivery;
  row: Record<string, any> | undefined;
}

/**
 * The holders who get a copy of a message about a subject's journey (SQL expressions for the
 * subject and the journey's life event): a running mandate that covers the life event, unless the
 * subject turned copies off. Fan-out sends to them, and only their contact details are read.
 */
const copyHoldersSql = (subject: string, lifeEvent: string) =>
  `SELECT m.holder_id FROM mandates m
    WHERE m.subject_id = ${subject} AND m.holder_id <> ${subject} AND ${Mandates.coversSql(lifeEvent, 'read', 'm')}
      AND NOT EXISTS (SELECT 1 FROM contact_preferences s WHERE s.subject_id = ${subject} AND NOT s.mandate_copies)`;

const OUTBOX_CHANNEL = 'levensloop_outbox';

/**
 * Turns the outboxes the projection writes into messages: fan-out per recipient and channel,
 * delivery with an idempotency key per delivery (committed as `sending`, with its text rendered
 * once, before the send, so a crash re-sends the same text under the same key after the lease and
 * the channel drops the copy), the dossier
 * status on the e-counter (only the newest), and the scheduled messages (reminders, delays,
 * letters for unread requests). Several dispatchers may run: every claim is FOR UPDATE SKIP LOCKED.
 */
export class Dispatcher {
  readonly pool: Pool;
  private readonly senders: Senders;
  private readonly n: LevensloopConfig['notifications'];
  private readonly buckets: Record<Channel | 'status', TokenBucket>;
  private listener?: Client;
  private wake?: () => void;
  /** A wake-up that came while a pass was running: the pass may have looked before the change. */
  private wokenDuringPass = false;
  private running = false;
  private loopDone?: Promise<void>;
  private schedulerTimer?: NodeJS.Timeout;
  /** The templates in force, dropped when a registration notifies (`gen` counts the notices). */
  private templates?: { at: number; gen: number; inForce: TemplatesInForce };
  private templatesGen = 0;
  /** Persons whose register read failed just now: their messages wait a little for the contact details. */
  private readonly prefillFailed = new Map<string, number>();
  lastCycleAt = 0;
  /** A message came in after this pass read contact details: go round again at once. */
  private awaitingContacts = false;
  /** When a channel ran out of tokens: how long until it has one again. */
  private rateWaitMs = Infinity;

  /** Metrics read the dispatcher's own pool, so they are attached once it exists. */
  useMetrics(metrics: Metrics) {
    this.options.metrics = metrics;
  }

  constructor(private readonly options: DispatcherOptions) {
    this.n = options.config.notifications;
    this.pool = new Pool({ connectionString: options.config.databaseUrl, max: 12 });
    this.pool.on('error', (err) => options.logger.warn({ err: err.message }, 'idle database connection failed'));
    this.senders = new Senders(this.n);
    const r = this.n.rates;
    this.buckets = {
      email: new TokenBucket(r.email.ratePerSecond, r.email.burst),
      sms: new TokenBucket(r.sms.ratePerSecond, r.sms.burst),
      ecounter: new TokenBucket(r.ecounter.ratePerSecond, r.ecounter.burst),
      letter: new TokenBucket(r.letter.ratePerSecond, r.letter.burst),
      status: new TokenBucket(r.status.ratePerSecond, r.status.burst),
    };
  }

  /** LISTEN for the projection's wake-ups on a connection of its own, poll as a fallback, and run. */
  async start(): Promise<void> {
    this.running = true;
    await this.listen();
    this.loopDone = this.loop();
    const tick = () => {
      this.schedule()
        .catch((err: Error) => this.options.logger.error({ err: err.message }, 'scheduler failed'))
        .finally(() => {
          if (this.running) this.schedulerTimer = setTimeout(tick, this.n.schedulerMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.schedulerTimer);
    this.wake?.();
    await this.loopDone;
    await this.listener?.end().catch(() => undefined);
    this.senders.close();
    await this.pool.end();
  }

  /**
   * One connection LISTENs for both notices: the projection's wake-ups, and template
   * registrations (the cached templates are dropped at once).
   */
  private async listen() {
    try {
      const client = new Client({ connectionString: this.options.config.databaseUrl });
      client.on('notification', (msg) => {
        if (msg.channel === TEMPLATES_CHANNEL) this.dropTemplates();
        else this.poke();
      });
      // A lost LISTEN connection only costs latency (polling goes on); try again later.
      client.on('error', (err) => {
        this.options.logger.warn({ err: err.message }, 'LISTEN connection lost; polling until it is back');
        this.listener = undefined;
        setTimeout(() => void (this.running && this.listen()), 2000);
      });
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}; LISTEN ${TEMPLATES_CHANNEL}`);
      this.listener = client;
      // A registration while no one listened went unnoticed: read the templates again.
      this.dropTemplates();
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, 'LISTEN failed; polling');
      setTimeout(() => void (this.running && this.listen()), 2000);
    }
  }

  private async loop() {
    while (this.running) {
      let busy = false;
      try {
        busy = await this.cycle();
        this.lastCycleAt = Date.now();
      } catch (err) {
        this.options.logger.error({ err: (err as Error).message }, 'dispatch cycle failed');
      }
      if (!this.running) break;
      if (busy || this.wokenDuringPass) {
        this.wokenDuringPass = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(5, Math.min(this.n.pollMs, this.rateWaitMs)));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** New work: the sleeping loop runs a pass now; a running pass is followed by another at once. */
  private poke() {
    if (this.wake) this.wake();
    else this.wokenDuringPass = true;
  }

  /**
   * One pass over the work that is due; true when there may be more right away. One round trip
   * first asks what is due, so a pass woken by one change does only that part (a pass over
   * everything costs some twenty statements, most of them finding nothing).
   */
  async cycle(): Promise<boolean> {
    this.rateWaitMs = Infinity;
    this.awaitingContacts = false;
    const due = await this.dueWork();
    let fanned = 0;
    if (due.fanOut) {
      await this.prefillContacts();
      fanned = await this.fanOut();
    }
    // What was just fanned out is due at once on its channels.
    const channels = fanned ? SEND_CHANNELS : due.channels;
    const [sent, pushed] = await Promise.all([channels.length ? this.deliver(channels) : false, due.status ? this.pushStatus() : 0]);
    return fanned >= this.n.batchSize || this.awaitingContacts || sent || pushed >= this.n.batchSize;
  }

  /** What is due now: messages to fan out, the channels with deliveries to send, dossier statuses. */
  async dueWork(): Promise<{ fanOut: boolean; channels: Channel[]; status: boolean }> {
    const { rows: [due] } = await this.pool.query({
      name: 'levensloop-dispatch-due',
      text: `SELECT EXISTS (SELECT 1 FROM notifications WHERE fanned_out_at IS NULL) AS fan_out,
                    ARRAY(SELECT c FROM unnest($1::text[]) AS c
                           WHERE EXISTS (SELECT 1 FROM notification_deliveries WHERE channel = c AND ${DUE_QUEUED})
                              OR EXISTS (SELECT 1 FROM notification_deliveries WHERE channel = c AND ${leaseRunOut('$2')})) AS channels,
                    EXISTS (SELECT 1 FROM dossier_status_outbox WHERE status = 'pending' AND next_attempt_at <= now()) AS status`,
      values: [SEND_CHANNELS, this.n.leaseMs / 1000],
    });
    return { fanOut: due.fan_out, channels: due.channels, status: due.status };
  }

  // ---- contact details, once, from the national register -------------------------------------

  private async prefillContacts() {
    const { rows } = await this.pool.query<{ type: 'person' | 'enterprise'; id: string; journey_id: string }>(
      `WITH pending AS (
         SELECT n.journey_id, j.subject_type, j.subject_id, j.life_event_key FROM notifications n JOIN journeys j ON j.id = n.journey_id
          WHERE n.fanned_out_at IS NULL ORDER BY n.created_at LIMIT $1),
       people AS (
         SELECT subject_type AS type, subject_id AS id, journey_id FROM pending
         UNION ALL
         -- Only the holders the fan-out will send a copy to: nobody else's contact details are read.
         SELECT 'person', h.holder_id, p.journey_id FROM pending p CROSS JOIN LATERAL (${copyHoldersSql('p.subject_id', 'p.life_event_key')}) h)
       SELECT DISTINCT ON (p.id) p.type, p.id, p.journey_id FROM people p
         LEFT JOIN contact_preferences cp ON cp.subject_id = p.id
        WHERE cp.prefilled IS NULL`,
      [this.n.batchSize],
    );
    const now = Date.now();
    await runLimited(
      rows.filter((r) => (this.prefillFailed.get(r.id) ?? 0) < now),
      8,
      (r) => this.prefillOne(r),
    );
  }

  private async prefillOne(r: { type: 'person' | 'enterprise'; id: string; journey_id: string }) {
    const source = r.type === 'person' ? 'national-register' : 'enterprise-register';
    const fields = r.type === 'person' ? PERSON_FIELDS : ENTERPRISE_FIELDS;
    // Logged before the read (on record even if the read fails or we crash), its outcome after it.
    const accessKey = `levensloop/notify/${r.id}/${randomUUID()}`;
    const entry: AccessLogEntry = async (outcome, requestId, reason) => {
      const { rows } = await this.pool.query<{ id: string }>(
        `INSERT INTO data_access_log (access_key, subject_type, subject_id, journey_id, agency, step_key, actor, actor_kind, source, fields, purpose, legal_basis, outcome, reason, request_id)
         VALUES ($1, $2, $3, $4, 'levensloop', 'notify', 'levensloop/notify', 'step', $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [requestId ? `${accessKey}/outcome` : accessKey, r.type, r.id, r.journey_id, source, fields, JSON.stringify(PURPOSE), JSON.stringify(LEGAL_BASIS), outcome, reason ?? null, requestId ?? null],
      );
      return rows[0]?.id;
    };
    try {
      const read = await loggedRead(entry, () =>
        this.options.sources.read(source, { type: r.type, id: r.id }, fields, {
          purpose: PURPOSE.nl,
          legalBasis: `${LEGAL_BASIS.type}: ${LEGAL_BASIS.reference}`,
          requester: 'levensloop/notify',
          journeyId: r.journey_id,
        }),
      );
      const v = read.values as any;
      const prefilled =
        r.type === 'person'
          ? { found: read.found, name: [v.name?.given, v.name?.family].filter(Boolean).join(' ') || undefined, language: v.preferredLanguage, email: v.contact?.email, phone: v.contact?.phone, address: v.address }
          : { found: read.found, name: v.name, email: v.contact?.email, address: v.seatAddress };
      await this.pool.query(
        `INSERT INTO contact_preferences (subject_type, subject_id, prefilled, updated_by) VALUES ($1, $2, $3, 'levensloop/notify')
         ON CONFLICT (subject_id) DO UPDATE SET prefilled = EXCLUDED.prefilled WHERE contact_preferences.prefilled IS NULL`,
        [r.type, r.id, JSON.stringify(prefilled)],
      );
      this.prefillFailed.delete(r.id);
    } catch (err) {
      this.prefillFailed.set(r.id, Date.now() + 30_000);
      this.options.logger.warn({ subject: r.id, err: (err as Error).message }, 'contact details could not be read; trying again later');
    }
  }

  // ---- fan-out ---------------------------------------------------------------------------------

  /** Deliveries per recipient and channel, and fanned_out_at, in one transaction. */
  async fanOut(): Promise<number> {
    this.awaitingContacts = false;
    return this.tx(async (db) => {
      const { rows: notes } = await db.query(
        `SELECT n.id, n.category, n.created_at, j.subject_type, j.subject_id, j.life_event_key
           FROM notifications n JOIN journeys j ON j.id = n.journey_id
          WHERE n.fanned_out_at IS NULL ORDER BY n.created_at LIMIT $1 FOR UPDATE OF n SKIP LOCKED`,
        [this.n.batchSize],
      );
      if (!notes.length) return 0;
      const subjects = [...new Set(notes.map((n) => n.subject_id as string))];
      const { rows: copies } = await db.query<{ id: string; holder_id: string }>(
        `SELECT n.id, h.holder_id FROM unnest($1::uuid[], $2::text[], $3::text[]) AS n(id, subject_id, life_event_key)
           CROSS JOIN LATERAL (${copyHoldersSql('n.subject_id', 'n.life_event_key')}) h ORDER BY n.id, h.holder_id`,
        [notes.map((n) => n.id), notes.map((n) => n.subject_id), notes.map((n) => n.life_event_key)],
      );
      const people = [...new Set([...subjects, ...copies.map((m) => m.holder_id)])];
      const { rows: prefs } = await db.query(`SELECT * FROM contact_preferences WHERE subject_id = ANY($1)`, [people]);
      const contactOf = new Map<string, any>(prefs.map((p) => [p.subject_id, p]));
      const rows: Array<[string, string, string, string, string, string | null, string]> = [];
      const done: string[] = [];
      const now = Date.now();
      for (const note of notes) {
        const recipients: Array<{ type: string; id: string; relation: string }> = [{ type: note.subject_type, id: note.subject_id, relation: 'subject' }];
        for (const m of copies.filter((m) => m.id === note.id)) recipients.push({ type: 'person', id: m.holder_id, relation: 'mandate' });
        // Contact details are read before the fan-out (the next pass does it for a message that just
        // came in); if the register cannot give them, the message waits up to 10 minutes for it.
        const young = now - new Date(note.created_at).getTime() < 600_000;
        const unknown = recipients.filter((r) => !contactOf.get(r.id)?.prefilled);
        if (young && unknown.length) {
          if (unknown.some((r) => !this.prefillFailed.has(r.id))) this.awaitingContacts = true;
          continue;
        }
        for (const r of recipients) {
          const cp = contactOf.get(r.id);
          const contact = effectiveContact(cp ? toContactRecord(cp) : undefined);
          for (const channel of channelsFor(note.category, contact)) {
            const address = channel === 'email' ? contact.email! : channel === 'sms' ? contact.phone! : channel === 'letter' ? (contact.postalAddress ? JSON.stringify(contact.postalAddress) : null) : r.id;
            rows.push([note.id, r.type, r.id, r.relation, channel, address, contact.language]);
          }
        }
        done.push(note.id);
      }
      if (rows.length) {
        const col = (i: number) => rows.map((r) => r[i]);
        await db.query(
          `INSERT INTO notification_deliveries (id, notification_id, recipient_type, recipient_id, relation, channel, address, language)
           SELECT gen_random_uuid(), * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           ON CONFLICT (notification_id, recipient_id, channel) DO NOTHING`,
          [col(0), col(1), col(2), col(3), col(4), col(5), col(6)],
        );
      }
      if (done.length) await db.query(`UPDATE notifications SET fanned_out_at = now() WHERE id = ANY($1)`, [done]);
      return done.length;
    });
  }

  // ---- delivery --------------------------------------------------------------------------------

  /** Claims due deliveries per channel (as many as the channel's rate allows) and sends them. */
  async deliver(channels: readonly Channel[] = SEND_CHANNELS): Promise<boolean> {
    let more = false;
    await Promise.all(
      channels.map(async (channel) => {
        const bucket = this.buckets[channel];
        const tokens = bucket.take(this.n.batchSize);
        if (!tokens) {
          // Over the channel's rate: come back when a token is there, not in a tight loop.
          this.rateWaitMs = Math.min(this.rateWaitMs, bucket.waitMs());
          return;
        }
        const claimed = await this.claim(channel, tokens);
        bucket.giveBack(tokens - claimed.length);
        if (claimed.length === tokens) more = true;
        if (!claimed.length) return;
        await runLimited(claimed, channel === 'letter' ? 2 : 16, (c) => this.deliverOne(c.d, c.row));
      }),
    );
    return more;
  }

  /**
   * Committed as `sending` (attempts + 1) before anything is sent; a stale `sending` (a crash) is
   * taken again after the lease. The message is rendered here, the first time a delivery is taken,
   * and stored by the same update that claims it: every later send of it (after a crash, after a
   * failure) says the same under the same key, and the citizen reads back what went out.
   */
  private async claim(channel: Channel, limit: number): Promise<Claim[]> {
    return this.tx(async (db) => {
      const { rows: due } = await db.query<ClaimedDelivery>(
        `SELECT id, notification_id, recipient_type, recipient_id, channel, address, language, attempts, subject, body, sms
           FROM notification_deliveries
          WHERE channel = $1
            AND ((${DUE_QUEUED}) OR (${leaseRunOut('$3')}))
          ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [channel, limit, this.n.leaseMs / 1000],
      );
      if (!due.length) return [];
      const { rows: contexts } = await db.query(DELIVERY_CONTEXT_SQL, [due.map((d) => d.id)]);
      const contextOf = new Map(contexts.map((r) => [r.delivery_id as string, r]));
      // Nothing to render for what will not be sent (not in the read model yet, expired) or was rendered before.
      const toRender = due.filter((d) => !storedMessage(d) && contextOf.get(d.id) && !contextOf.get(d.id).expired);
      const rendered: Array<[string, string, string, string, number | null]> = [];
      if (toRender.length) {
        const templates = await this.templatesInForce();
        for (const d of toRender) {
          const row = contextOf.get(d.id);
          const lang = asLanguage(d.language);
          const ctx = toDeliveryContext(row);
          const template = templates.for(ctx.category, lang, ctx.agency);
          const message = renderMessage(template, ctx, lang, journeyLink(this.n.citizenWebUrl, row.journey_id));
          Object.assign(d, message);
          rendered.push([d.id, message.subject, message.body, message.sms, template?.version ?? null]);
        }
      }
      const col = <T>(i: number) => rendered.map((r) => r[i] as T);
      await db.query(
        `UPDATE notification_deliveries d SET status = 'sending', attempts = d.attempts + 1, updated_at = now(),
                subject = coalesce(d.subject, r.subject), body = coalesce(d.body, r.body), sms = coalesce(d.sms, r.sms),
                template_version = CASE WHEN d.body IS NULL THEN r.template_version ELSE d.template_version END,
                rendered_at = CASE WHEN d.body IS NULL AND r.body IS NOT NULL THEN now() ELSE d.rendered_at END
           FROM unnest($1::uuid[]) AS c(id)
           LEFT JOIN unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[]) AS r(id, subject, body, sms, template_version) ON r.id = c.id
          WHERE d.id = c.id`,
        [due.map((d) => d.id), col<string>(0), col<string>(1), col<string>(2), col<string>(3), col<number | null>(4)],
      );
      return due.map((d) => ({ d: { ...d, attempts: d.attempts + 1 }, row: contextOf.get(d.id) }));
    });
  }

  private async deliverOne(d: ClaimedDelivery, row: Record<string, any> | undefined) {
    if (!row) return;
    if (row.expired) {
      // A request that is no longer open (or a message past its expiry) is not sent at all.
      await this.record(d, { kind: 'expired' }, row);
      return;
    }
    const lang = asLanguage(d.language);
    const link = journeyLink(this.n.citizenWebUrl, row.journey_id);
    const message = storedMessage(d);
    // Rendered by the claim; without it (cannot happen) the lease brings the delivery back.
    if (!message) return;
    let result: SendResult;
    try {
      switch (d.channel) {
        case 'email':
          result = await this.senders.email({ deliveryId: d.id, to: d.address!, subject: message.subject, text: message.body, language: lang, transactionId: row.transaction_id });
          break;
        case 'sms':
          result = await this.senders.sms(d.id, d.address!, message.sms.slice(0, 480));
          break;
        case 'ecounter':
          result = await this.senders.ecounterNotification(d.id, {
            recipient: { type: d.recipient_type, id: d.recipient_id },
            category: row.category,
            // The e-counter's limits; a long registered template still reaches the counter, cut short.
            title: message.subject.slice(0, 200),
            body: message.body.slice(0, 4000),
            link,
            transactionId: row.transaction_id,
            actionNeeded: row.action_needed,
            language: lang,
            ...(row.expires_at ? { expiresAt: new Date(row.expires_at).toISOString() } : {}),
          });
          break;
        case 'letter':
          if (await this.writeLetter(d, message, link, lang, row)) this.observe(d.channel, 'delivered', row.created_at);
          return;
      }
    } catch (err) {
      result = { kind: 'temporary', error: (err as Error).message };
    }
    if (this.options.exitAfterSend && (this.options.exitAfterSend === d.channel || this.options.exitAfterSend === 'any') && result.kind !== 'temporary' && result.kind !== 'permanent') {
      // Test hook: the worst moment to crash — sent, not recorded. The lease brings it back.
      process.stderr.write(`exiting after sending ${d.channel} ${d.id} (DISPATCHER_TEST_EXIT_AFTER_SEND)\n`);
      process.exit(86);
    }
    await this.record(d, result, row);
  }

  /** The letter is a print-queue item; stored and recorded in one transaction, once per delivery. */
  private async writeLetter(d: ClaimedDelivery, message: { subject: string; body: string }, link: string, lang: Language, row: any): Promise<boolean> {
    if (!d.address) {
      await this.record(d, { kind: 'permanent', error: 'no postal address known' }, row);
      return false;
    }
    const postalAddress = JSON.parse(d.address) as Record<string, unknown>;
    const pdf = await renderLetterPdf({
      recipientName: row.recipient_name ?? undefined,
      postalAddress,
      subject: message.subject,
      body: message.body,
      link,
      reference: `${row.journey_id} · ${d.id}`,
      date: new Date(),
      language: lang,
    });
    await this.tx(async (db) => {
      await db.query(
        `INSERT INTO letters (id, delivery_id, recipient_id, postal_address, link, pdf) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (delivery_id) DO NOTHING`,
        [randomUUID(), d.id, d.recipient_id, d.address, link, pdf],
      );
      await db.query(
        `UPDATE notification_deliveries SET status = 'delivered', sent_at = now(), delivered_at = now(), updated_at = now(), last_error = NULL WHERE id = $1`,
        [d.id],
      );
    });
    return true;
  }

  private async record(d: ClaimedDelivery, result: SendResult | { kind: 'expired' }, row: any) {
    const backoff = Math.min(this.n.backoffMaxMs, this.n.backoffMs * 2 ** Math.max(0, d.attempts - 1));
    let sql: string;
    let params: unknown[];
    let status: string;
    switch (result.kind) {
      case 'delivered':
        status = 'delivered';
        sql = `UPDATE notification_deliveries SET status = 'delivered', sent_at = coalesce(sent_at, now()), delivered_at = now(), provider_ref = $2, last_error = NULL, updated_at = now() WHERE id = $1 AND status = 'sending' AND attempts = $3`;
        params = [d.id, result.providerRef ?? null, d.attempts];
        break;
      case 'accepted':
        // Stays `sending` with sent_at set: the SMS gateway's report (POST /callbacks/sms) settles it.
        status = 'sending';
        sql = `UPDATE notification_deliveries SET sent_at = now(), provider_ref = $2, last_error = NULL, updated_at = now() WHERE id = $1 AND status = 'sending' AND attempts = $3`;
        params = [d.id, result.providerRef, d.attempts];
        break;
      case 'expired':
        status = 'expired';
        sql = `UPDATE notification_deliveries SET status = 'expired', updated_at = now() WHERE id = $1 AND status = 'sending' AND attempts = $2`;
        params = [d.id, d.attempts];
        break;
      default: {
        const last = result.kind === 'permanent' || d.attempts >= this.n.maxAttempts;
        status = last ? 'permanent_failure' : 'temporary_failure';
        sql = `UPDATE notification_deliveries SET status = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4), updated_at = now() WHERE id = $1 AND status = 'sending' AND attempts = $5`;
        params = [d.id, status, result.error.slice(0, 1000), backoff / 1000, d.attempts];
        if (!last) this.options.logger.info({ delivery: d.id, channel: d.channel, attempts: d.attempts, err: result.error }, 'send failed; trying again later');
        else this.options.logger.warn({ delivery: d.id, channel: d.channel, attempts: d.attempts, err: result.error }, 'send failed for good');
      }
    }
    await this.pool.query(sql, params);
    this.observe(d.channel, status, status === 'delivered' ? row.created_at : undefined);
  }

  private observe(channel: string, result: string, since?: Date) {
    this.options.metrics?.outcomes.inc({ channel, result });
    if (since && result === 'delivered') this.options.metrics?.delay.observe({ channel }, (Date.now() - new Date(since).getTime()) / 1000);
  }

  /**
   * The latest registered version per scope (agency or global), category and language. Read
   * again after a registration's notice, and after DISPATCHER_TEMPLATE_CACHE_MS in case a notice
   * was lost (5 s at most while the LISTEN connection is down).
   */
  private async templatesInForce(): Promise<TemplatesInForce> {
    const maxAge = this.listener ? this.n.templateCacheMs : Math.min(this.n.templateCacheMs, 5000);
    let cache = this.templates;
    if (!cache || cache.gen !== this.templatesGen || Date.now() - cache.at > maxAge) {
      // A notice that arrives while this query runs leaves the result marked stale (the old gen).
      const gen = this.templatesGen;
      const at = Date.now();
      const { rows } = await this.pool.query<ScopedTemplate>(ACTIVE_TEMPLATES_SQL);
      cache = { at, gen, inForce: new TemplatesInForce(rows) };
      this.templates = cache;
    }
    return cache.inForce;
  }

  private dropTemplates() {
    this.templatesGen += 1;
    this.templates = undefined;
  }

  // ---- dossier status on the e-counter ---------------------------------------------------------

  /** Per journey only the newest pending change is sent; older pending ones are superseded. */
  async pushStatus(): Promise<number> {
    const tokens = this.buckets.status.take(this.n.batchSize);
    if (!tokens) {
      this.rateWaitMs = Math.min(this.rateWaitMs, this.buckets.status.waitMs());
      return 0;
    }
    const picked = await this.tx(async (db) => {
      // A change older than one already on the e-counter is never sent (a late row after a crash or a race).
      await db.query(
        `UPDATE dossier_status_outbox o SET status = 'superseded'
          WHERE o.status = 'pending' AND o.next_attempt_at <= now()
            AND EXISTS (SELECT 1 FROM dossier_status_outbox x WHERE x.journey_id = o.journey_id AND x.status = 'delivered' AND x.seq > o.seq)`,
      );
      const { rows } = await db.query(
        `SELECT journey_id, seq, attempts, created_at FROM dossier_status_outbox
          WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [tokens],
      );
      const newest = new Map<string, any>();
      for (const r of rows) if (!newest.has(r.journey_id) || newest.get(r.journey_id).seq < r.seq) newest.set(r.journey_id, r);
      const chosen = [...newest.values()];
      if (!chosen.length) return chosen;
      await db.query(
        `UPDATE dossier_status_outbox o SET status = 'superseded'
           FROM unnest($1::uuid[], $2::int[]) AS c(journey_id, seq)
          WHERE o.journey_id = c.journey_id AND o.seq < c.seq AND o.status = 'pending'`,
        [chosen.map((c) => c.journey_id), chosen.map((c) => c.seq)],
      );
      // The lease: if we crash before recording, the row is due again after it (same seq: the e-counter keeps it once).
      await db.query(
        `UPDATE dossier_status_outbox o SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => $3)
           FROM unnest($1::uuid[], $2::int[]) AS c(journey_id, seq) WHERE o.journey_id = c.journey_id AND o.seq = c.seq`,
        [chosen.map((c) => c.journey_id), chosen.map((c) => c.seq), this.n.leaseMs / 1000],
      );
      return chosen.map((c) => ({ ...c, attempts: c.attempts + 1 }));
    });
    this.buckets.status.giveBack(tokens - picked.length);
    await runLimited(picked, 16, (p) => this.pushOne(p));
    return picked.length;
  }

  /** The dossier as the e-counter shows it, from the read model now (the newest state wins anyway). */
  async dossierPayload(journeyId: string, seq: number): Promise<Record<string, unknown> | undefined> {
    const { rows: [j] } = await this.pool.query(
      `SELECT j.id, j.title, j.status, j.subject_type, j.subject_id, j.life_event_key, j.updated_at, cp.language, cp.prefilled->>'language' AS prefilled_language
         FROM journeys j LEFT JOIN contact_preferences cp ON cp.subject_id = j.subject_id WHERE j.id = $1`,
      [journeyId],
    );
    if (!j) return undefined;
    const [steps, tasks, holders] = await Promise.all([
      this.pool.query(`SELECT kind, status, title FROM journey_steps WHERE journey_id = $1 ORDER BY started_at NULLS LAST, node_key`, [journeyId]),
      this.pool.query(`SELECT title FROM tasks WHERE journey_id = $1 AND assignee = 'citizen' AND status IN ('open', 'claimed') ORDER BY created_at`, [journeyId]),
      this.pool.query(
        `SELECT holder_id FROM mandates WHERE subject_id = $1 AND ${Mandates.coversSql('$2::text', 'read')} ORDER BY holder_id`,
        [j.subject_id, j.life_event_key],
      ),
    ]);
    const lang = ([j.language, j.prefilled_language].find((l) => (LANGUAGES as readonly string[]).includes(l)) ?? 'nl') as Language;
    const view: DossierView = { journeyStatus: j.status, steps: steps.rows, citizenTasks: tasks.rows.map((t) => t.title) };
    const statusCode = dossierStatusCode(view);
    return {
      seq,
      subject: { type: j.subject_type, id: j.subject_id },
      audience: [j.subject_id, ...holders.rows.map((h) => h.holder_id as string).filter((id) => id !== j.subject_id)],
      title: pick(j.title, lang).slice(0, 200),
      statusCode,
      phase: dossierPhase(view, lang).slice(0, 500),
      // The flag goes with the code (the e-counter checks it): a stopped dossier asks nothing.
      actionNeeded: statusCode === 'action_needed' ? dossierActionNeeded(view, lang) : { flag: false },
      link: journeyLink(this.n.citizenWebUrl, j.id),
      updatedAt: new Date(j.updated_at).toISOString(),
      language: lang,
    };
  }

  private async pushOne(p: { journey_id: string; seq: number; attempts: number; created_at: Date }) {
    const payload = await this.dossierPayload(p.journey_id, p.seq);
    let result: SendResult;
    if (!payload) result = { kind: 'temporary', error: 'the journey is not in the read model yet' };
    else {
      try {
        result = await this.senders.dossierStatus(p.journey_id, payload);
      } catch (err) {
        result = { kind: 'temporary', error: (err as Error).message };
      }
    }
    if (this.options.exitAfterSend === 'status' && result.kind === 'delivered') {
      process.stderr.write(`exiting after pushing dossier ${p.journey_id} seq ${p.seq} (DISPATCHER_TEST_EXIT_AFTER_SEND)\n`);
      process.exit(86);
    }
    if (result.kind === 'delivered' || result.kind === 'accepted') {
      await this.pool.query(
        `UPDATE dossier_status_outbox SET status = 'delivered', delivered_at = now(), payload = $3, last_error = NULL WHERE journey_id = $1 AND seq = $2 AND status = 'pending'`,
        [p.journey_id, p.seq, JSON.stringify(payload)],
      );
      this.observe('dossier_status', 'delivered', p.created_at);
      return;
    }
    const last = result.kind === 'permanent' || p.attempts >= this.n.maxAttempts;
    const backoff = Math.min(this.n.backoffMaxMs, this.n.backoffMs * 2 ** Math.max(0, p.attempts - 1));
    await this.pool.query(
      `UPDATE dossier_status_outbox SET status = $3, last_error = $4, next_attempt_at = now() + make_interval(secs => $5), payload = $6
        WHERE journey_id = $1 AND seq = $2 AND status = 'pending'`,
      [p.journey_id, p.seq, last ? 'failed' : 'pending', result.error.slice(0, 1000), backoff / 1000, payload ? JSON.stringify(payload) : null],
    );
    this.observe('dossier_status', last ? 'failed' : 'temporary_failure');
  }

  // ---- scheduled messages ----------------------------------------------------------------------

  /** Reminders, delay apologies and letters for unread requests; each keyed so it happens once. */
  async schedule(): Promise<void> {
    const before = durationToMs(this.n.reminderBefore) / 1000;
    const reminders = await this.pool.query(
      `INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category, node_key, data, action_needed, agency)
       SELECT gen_random_uuid(), t.id || '/reminder', t.journey_id, t.journey_id::text, 'action.reminder', t.node_key,
              jsonb_build_object('taskId', t.id, 'dueAt', t.due_at), true, t.agency
         FROM tasks t JOIN journeys j ON j.id = t.journey_id
        WHERE t.assignee = 'citizen' AND t.status IN ('open', 'claimed') AND t.due_at IS NOT NULL
          AND t.due_at > now() AND t.due_at - make_interval(secs => $1) <= now() AND j.status IN ('running', 'needs_attention')
       ON CONFLICT (dedup_key) DO NOTHING`,
      [before],
    );

    // Agency steps past their norm: an apology with a new expected date (escalation date if later, else now + the norm's target).
    const { rows: late } = await this.pool.query(
      `SELECT s.journey_id, s.node_key, s.agency, s.started_at, ss.definition->'serviceNorm' AS norm
         FROM journey_steps s JOIN journeys j ON j.id = s.journey_id
         JOIN life_events le ON le.key = j.life_event_key AND le.version = j.life_event_version
         CROSS JOIN LATERAL jsonb_array_elements(le.definition->'nodes') node
         LEFT JOIN service_steps ss ON ss.agency = node->'step'->>'agency' AND ss.key = node->'step'->>'key' AND ss.version = (node->'step'->>'version')::int
        WHERE node->>'key' = s.node_key AND s.kind IN ('automatic', 'caseworker', 'decision')
          AND s.status IN ('running', 'waiting', 'needs_attention') AND s.due_at < now()
          AND j.status IN ('running', 'needs_attention')
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedup_key = s.journey_id::text || '/' || s.node_key || '/delayed')
        LIMIT 500`,
    );
    let delayed = 0;
    for (const s of late) {
      const now = new Date();
      const norm = s.norm ?? {};
      const started = new Date(s.started_at ?? now).toISOString();
      const escalate = norm.escalate ? new Date(addDuration(started, norm.escalate)) : undefined;
      const expected = escalate && escalate > now ? escalate : new Date(addDuration(now.toISOString(), norm.target ?? 'P5D'));
      const res = await this.pool.query(
        `INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category, node_key, data, action_needed, agency)
         VALUES (gen_random_uuid(), $1, $2::uuid, $2::text, 'service.delayed', $3, $4, false, $5) ON CONFLICT (dedup_key) DO NOTHING`,
        [`${s.journey_id}/${s.node_key}/delayed`, s.journey_id, s.node_key, JSON.stringify({ agency: s.agency, newExpectedDate: expected.toISOString() }), s.agency],
      );
      delayed += res.rowCount ?? 0;
    }

    // The subject did not read a request within LETTER_AFTER and it is still open: it goes out on
    // paper too (the request itself, not each reminder of it). A mandate holder reading their copy
    // does not stop the subject's letter; it only spares the holder a paper copy of their own.
    const after = durationToMs(this.n.letterAfter) / 1000;
    const letters = await this.pool.query(
      `INSERT INTO notification_deliveries (id, notification_id, recipient_type, recipient_id, relation, channel, address, language)
       SELECT DISTINCT ON (d.notification_id, d.recipient_id) gen_random_uuid(), d.notification_id, d.recipient_type, d.recipient_id, d.relation, 'letter',
              coalesce(cp.postal_address, cp.prefilled->'address')::text, d.language
         FROM notifications n
         JOIN notification_deliveries d ON d.notification_id = n.id
         LEFT JOIN contact_preferences cp ON cp.subject_id = d.recipient_id
        WHERE n.category = 'action.needed' AND n.fanned_out_at IS NOT NULL AND n.created_at < now() - make_interval(secs => $1)
          AND n.created_at > now() - make_interval(secs => $1) - interval '30 days'
          AND NOT EXISTS (SELECT 1 FROM notification_deliveries r WHERE r.notification_id = n.id AND r.read_at IS NOT NULL
                            AND (r.relation = 'subject' OR r.recipient_id = d.recipient_id))
          AND EXISTS (SELECT 1 FROM tasks t WHERE t.journey_id = n.journey_id AND t.node_key = n.node_key AND t.assignee = 'citizen' AND t.status IN ('open', 'claimed'))
       ON CONFLICT (notification_id, recipient_id, channel) DO NOTHING`,
      [after],
    );
    const made = (reminders.rowCount ?? 0) + delayed + (letters.rowCount ?? 0);
    if (made) {
      this.options.logger.info({ reminders: reminders.rowCount, delayed, letters: letters.rowCount }, 'scheduled messages');
      this.poke();
    }
  }

  private async tx<T>(work: (db: PoolClient) => Promise<T>): Promise<T> {
    const db = await this.pool.connect();
    try {
      await db.query('BEGIN');
      const result = await work(db);
      await db.query('COMMIT');
      return result;
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      db.release();
    }
  }
}

function toContactRecord(cp: any): ContactRecord {
  return { language: cp.language, channels: cp.channels, email: cp.email, phone: cp.phone, postalAddress: cp.postal_address, prefilled: cp.prefilled };
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function runLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
