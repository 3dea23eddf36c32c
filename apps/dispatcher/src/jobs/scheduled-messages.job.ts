import { durationToMs } from '@levensloop/domain';
import { AGENCY_STEP_KINDS, delayNotice, JOURNEY_UNDER_WAY, STEP_UNDER_WAY } from '@levensloop/notifications';
import type { NotificationOutbox } from '@levensloop/persistence';
import type { JobContext } from './context';

/**
 * The messages no state change writes, each keyed so it happens once: reminders before a
 * citizen task is due, and an apology with a new expected date for an agency's step past its norm.
 */
export class ScheduledMessagesJob {
  constructor(
    private readonly ctx: JobContext,
    private readonly outbox: NotificationOutbox,
  ) {}

  /** How many reminders and delay notices were written. */
  async run(): Promise<{ reminders: number; delayed: number }> {
    const reminders = await this.outbox.insertReminders(durationToMs(this.ctx.n.reminderBefore) / 1000);
    return { reminders, delayed: await this.delayNotices() };
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
