import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { LevensloopConfig } from '@levensloop/config';
import { CHANNELS, SUPERVISOR_MAIL_CATEGORY_KEYS, TEMPLATES_CHANNEL } from '@levensloop/notifications';
import {
  createDataSource,
  Deliveries,
  DeliveryFallbacks,
  DossierStatusOutbox,
  EmailReports,
  DataAccessLog,
  Preferences,
  NotificationContent,
  NotificationOutbox,
  OUTBOX_CHANNEL,
  SendRateLimits,
} from '@levensloop/persistence';
import type { SourceClient } from '@levensloop/sources';
import type { Channel } from './channels/channel';
import { createChannels } from './channels/registry';
import { ContactPrefillJob } from './jobs/contact-prefill.job';
import { JobContext } from './jobs/context';
import { DeliveryJob } from './jobs/delivery.job';
import { DossierStatusJob } from './jobs/dossier-status.job';
import { FallbackJob } from './jobs/fallback.job';
import { FanOutJob } from './jobs/fan-out.job';
import { SmsReportsJob } from './jobs/sms-reports.job';
import { UnreadLettersJob } from './jobs/unread-letters.job';
import { Listener } from './listener';
import type { Metrics } from './metrics';
import { TemplatesCache } from './templates-cache';

export interface DispatcherOptions {
  config: LevensloopConfig;
  sources: SourceClient;
  logger: Logger;
  metrics?: Metrics;
}

/**
 * Turns the outboxes the projection writes into messages: a loop that asks what is due and runs
 * the jobs for it (contact prefill, fan-out, delivery per channel, dossier status, SMS reports),
 * woken by LISTEN/NOTIFY and polling as a fallback, and a scheduler for the one message no
 * workflow knows of: the letter for an unread request (reminders and delay notices come from the
 * journeys' timers, through the projection). Several dispatchers may run: every claim is FOR UPDATE
 * SKIP LOCKED, the send rates are one budget for all of them (`send_rate_limits`), and a stopping
 * dispatcher finishes its sends in flight and gives back what it claimed and did not send.
 */
export class Dispatcher {
  readonly ds: DataSource;
  readonly deliveries: Deliveries;
  readonly dossierStatus: DossierStatusOutbox;
  private readonly ctx: JobContext;
  private readonly channels: Map<string, Channel>;
  private readonly listener: Listener;
  private readonly templates: TemplatesCache;
  private readonly prefill: ContactPrefillJob;
  private readonly fanOut: FanOutJob;
  private readonly delivery: DeliveryJob;
  private readonly dossier: DossierStatusJob;
  private readonly smsReports: SmsReportsJob;
  private readonly unreadLetters: UnreadLettersJob;
  private readonly fallback: FallbackJob;
  private wake?: () => void;
  /** A wake-up that came while a pass was running: the pass may have looked before the change. */
  private wokenDuringPass = false;
  private running = false;
  private loopDone?: Promise<void>;
  private schedulerTimer?: NodeJS.Timeout;
  lastCycleAt = 0;
  private readonly graceMs: number;

  constructor(options: DispatcherOptions) {
    const n = options.config.notifications;
    // One connection more than the jobs use: the LISTEN connection is taken from this pool.
    this.ds = createDataSource(options.config.databaseUrl, { extra: { max: 13 } });
    this.ctx = new JobContext(n, options.logger, n.testExitAfterSend);
    this.ctx.metrics = options.metrics;
    this.ctx.shared = new SendRateLimits(this.ds, n.rates);
    this.graceMs = options.config.shutdownGraceMs;
    const content = new NotificationContent(this.ds);
    this.deliveries = new Deliveries(this.ds, content);
    const outbox = new NotificationOutbox(this.ds, this.deliveries, { supervisorCategories: SUPERVISOR_MAIL_CATEGORY_KEYS });
    this.dossierStatus = new DossierStatusOutbox(this.ds);
    this.channels = createChannels({ config: n, deliveries: this.deliveries });
    // One connection LISTENs for both notices: new work, and template registrations.
    this.listener = new Listener(
      this.ds,
      [OUTBOX_CHANNEL, TEMPLATES_CHANNEL],
      (channel) => (channel === TEMPLATES_CHANNEL ? this.templates.drop() : this.poke()),
      () => this.templates.drop(),
      options.logger,
    );
    this.templates = new TemplatesCache(content, n.templateCacheMs, () => this.listener.connected);
    this.prefill = new ContactPrefillJob(this.ctx, outbox, new Preferences(this.ds), new DataAccessLog(this.ds), options.sources);
    this.fanOut = new FanOutJob(this.ctx, outbox, (id) => this.prefill.recentlyFailed(id));
    this.fallback = new FallbackJob(this.ctx, new DeliveryFallbacks(this.ds), new EmailReports(this.ds));
    this.delivery = new DeliveryJob(this.ctx, this.deliveries, this.channels, this.templates, () => (this.fallback.failedForGood = true));
    this.dossier = new DossierStatusJob(this.ctx, this.dossierStatus);
    this.smsReports = new SmsReportsJob(this.ctx, this.deliveries);
    this.unreadLetters = new UnreadLettersJob(this.ctx, this.deliveries);
  }

  /** Metrics read the repositories, so they are attached once those exist. */
  useMetrics(metrics: Metrics) {
    this.ctx.metrics = metrics;
  }

  /** Connects, LISTENs for wake-ups, and runs the loop and the scheduler. */
  async start(): Promise<void> {
    if (!this.ds.isInitialized) await this.ds.initialize();
    this.running = true;
    await this.listener.start();
    this.loopDone = this.loop();
    const tick = () => {
      this.schedule()
        .catch((err: Error) => this.ctx.logger.error({ err: err.message }, 'scheduler failed'))
        .finally(() => {
          if (this.running) this.schedulerTimer = setTimeout(tick, this.ctx.n.schedulerMs);
        });
    };
    tick();
  }

  /**
   * Stops: no new claims, sends in flight finish (for at most SHUTDOWN_GRACE_MS), and every claim
   * not recorded (not started, or still in flight at the deadline) is given back, due at once for
   * another dispatcher instead of after its lease. Returns how many claims went back.
   */
  async stop(): Promise<{ deliveries: number; statuses: number }> {
    this.running = false;
    this.ctx.stopping = true;
    clearTimeout(this.schedulerTimer);
    this.wake?.();
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([this.loopDone, new Promise<void>((resolve) => (deadline = setTimeout(resolve, this.graceMs)))]);
    clearTimeout(deadline);
    const [deliveries, statuses] = this.ds.isInitialized ? await Promise.all([this.delivery.releaseHeld(), this.dossier.releaseHeld()]) : [0, 0];
    if (deliveries || statuses) this.ctx.logger.info({ deliveries, statuses }, 'claims given back');
    await this.listener.stop();
    for (const channel of this.channels.values()) channel.close?.();
    if (this.ds.isInitialized) await this.ds.destroy();
    return { deliveries, statuses };
  }

  private async loop() {
    while (this.running) {
      let busy = false;
      try {
        busy = await this.cycle();
        this.lastCycleAt = Date.now();
      } catch (err) {
        this.ctx.logger.error({ err: (err as Error).message }, 'dispatch cycle failed');
      }
      if (!this.running) break;
      if (busy || this.wokenDuringPass) {
        this.wokenDuringPass = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(5, Math.min(this.ctx.n.pollMs, this.ctx.rates.waitMs)));
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
    this.ctx.rates.waitMs = Infinity;
    const n = this.ctx.n;
    const due = await this.deliveries.dueWork(CHANNELS, n.leaseMs / 1000);
    let fanned = 0;
    if (due.fanOut) {
      await this.prefill.run();
      fanned = await this.fanOut.run();
    }
    // What was just fanned out is due at once on its channels.
    const channels = fanned ? CHANNELS : due.channels;
    const [sent, pushed, applied, mailApplied] = await Promise.all([
      channels.length ? this.delivery.run(channels) : false,
      due.status ? this.dossier.run() : 0,
      due.smsReports ? this.smsReports.run() : 0,
      due.emailReports ? this.fallback.applyEmailReports() : 0,
    ]);
    // A failure for good (sent now, or reported) goes on to the next channel in the same pass.
    const forwarded = due.fallback || applied || mailApplied || this.fallback.failedForGood ? await this.fallback.run() : 0;
    return (
      fanned >= n.batchSize || (due.fanOut && this.fanOut.awaitingContacts) || sent || pushed >= n.batchSize || applied >= n.batchSize || mailApplied >= n.batchSize || forwarded > 0
    );
  }

  /** Letters for unread requests (also every DISPATCHER_SCHEDULER_MS). */
  async schedule(): Promise<void> {
    const letters = await this.unreadLetters.run();
    if (letters) {
      this.ctx.logger.info({ letters }, 'letters for unread requests');
      this.poke();
    }
  }

  /** The dossier as the e-counter would get it now for this change (undefined: not in the read model). */
  dossierPayload(journeyId: string, seq: number): Promise<Record<string, unknown> | undefined> {
    return this.dossier.payload(journeyId, seq);
  }
}
