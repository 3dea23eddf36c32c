import { durationToMs } from '@levensloop/domain';
import { AGENCY_STEP_KINDS, delayNotice, JOURNEY_UNDER_WAY, STEP_UNDER_WAY } from '@levensloop/notifications';
import type { Deliveries, NotificationOutbox } from '@levensloop/persistence';
import type { JobContext } from './context';

/**
 * The messages no state change writes, each keyed so it happens once: reminders before a
 * citizen task is due, an apology with a new expected date for an agency's step past its norm,
 * and the letter for a request its subject did not read in time.
 */
export class ScheduledMessagesJob {
  constructor(
    private readonly ctx: JobContext,
    private readonly outbox: NotificationOutbox,
    private readonly deliveries: Deliveries,
  ) {}

  /** How many messages (and letters) were written. */
  async run(): Promise<number> {
    const reminders = await this.outbox.insertReminders(durationToMs(this.ctx.n.reminderBefore) / 1000);
    const delayed = await this.delayNotices();
    // A mandate holder reading their copy does not stop the subject's letter; it only spares the holder a paper copy.
    const letters = await this.deliveries.insertUnreadLetters(durationToMs(this.ctx.n.letterAfter) / 1000);
    const made = reminders + delayed + letters;
    if (made) this.ctx.logger.info({ reminders, delayed, letters }, 'scheduled messages');
    return made;
  }

  /** Agency steps past their norm: an apology with a new expected date (see delayNotice). */
  private async delayNotices(): Promise<number> {
    const candidates = await this.outbox.lateStepCandidates(AGENCY_STEP_KINDS, STEP_UNDER_WAY, JOURNEY_UNDER_WAY);
    const withNode = candidates.flatMap((c) => {
      const node = c.nodes?.find((n) => n.key === c.node_key);
      return node ? [{ ...c, ref: node.step }] : [];
    });
    const norms = await this.outbox.serviceNorms(withNode.flatMap((c) => (c.ref ? [c.ref] : [])));
    let delayed = 0;
    for (const s of withNode) {
      const now = new Date();
      const norm = s.ref ? norms.get(`${s.ref.agency}/${s.ref.key}/${s.ref.version}`) : undefined;
      const notice = delayNotice({ kind: s.kind, status: s.status, journeyStatus: s.journey_status, startedAt: s.started_at, dueAt: s.due_at }, norm, now);
      if (notice && (await this.outbox.insertDelayNotice({ journeyId: s.journey_id, nodeKey: s.node_key, agency: s.agency, newExpectedDate: notice.newExpectedDate }))) delayed += 1;
    }
    return delayed;
  }
}
