/**
 * Projection into the read model: what changed since the last projection goes out as one
 * `JourneyProjection`, either on its own (a local activity, by the projector loop) or riding
 * along with an agency call. The search attributes follow the status and the next due date.
 */
import { condition, isCancellation, upsertSearchAttributes } from '@temporalio/workflow';
import { nextDueAt } from '@levensloop/domain';
import { SEARCH_ATTRIBUTES, journeyHeader, type JourneyProjection } from '@levensloop/contracts/workflow';
import { projection } from './activities';
import { TIMELINE_KEPT } from './constants';
import type { JourneyRun } from './journey-run';
import { RoutedAgencies } from './routed-agencies';

/** A projection handed out, with what to redo should it not reach the read model. */
export interface TakenProjection {
  projection: JourneyProjection;
  steps: string[];
  firstEventSeq?: number;
  lastEventSeq?: number;
  header: boolean;
}

export class Projector {
  /**
   * Projections riding with agency calls that have not reached the read model yet. The projector's
   * own (local) projection sends their steps again as they are now: a local activity may arrive
   * before a queued agency call, and the read model must never show a later step's state (a task
   * opened) before the earlier step's that led to it (completed). Step rows keep the newest seq, so
   * the carried copy arriving afterwards changes nothing.
   */
  readonly carriedInFlight = new Set<TakenProjection>();
  /** A projection of the projector's own is under way. */
  projecting = false;
  private stopRequested = false;
  /** The loop ended on a cancellation in Temporal (see `resume`). */
  private cancelled = false;
  private loop: Promise<void> | undefined;
  private lastStatusForAttributes: string;
  private lastDueForAttributes = '';
  private readonly agencies: RoutedAgencies;

  constructor(private readonly run: JourneyRun) {
    this.lastStatusForAttributes = run.legacy.initialStatusAttribute();
    this.agencies = new RoutedAgencies(run);
  }

  /** Builds the projection of everything changed since the last one (and `resend`), and marks it as sent. */
  take(resend: Iterable<TakenProjection> = []): TakenProjection {
    const { run } = this;
    const { state, dirtySteps } = run;
    for (const taken of resend) for (const key of taken.steps) dirtySteps.add(key);
    run.projectedVersion = run.version;
    const status = state.status;
    const due = nextDueAt(state.steps) ?? '';
    // Journeys started before this change keep exact due dates in visibility (replay-safe).
    const dueMinute = run.legacy.dueDateToTheMinute() ? this.dueToTheMinute() : due;
    if (status !== this.lastStatusForAttributes || dueMinute !== this.lastDueForAttributes) {
      this.lastStatusForAttributes = status;
      this.lastDueForAttributes = dueMinute;
      upsertSearchAttributes({
        [SEARCH_ATTRIBUTES.status.name]: [status],
        [SEARCH_ATTRIBUTES.nextDue.name]: dueMinute ? [new Date(dueMinute)] : [],
      });
    }
    const events = state.timeline.filter((e) => e.seq > state.projectedEventSeq);
    const seq = ++state.projectionSeq;
    // Until the read model has the journey, every projection carries the header and every step
    // (it may have to create the rows); afterwards only what changed.
    const header = !state.headerConfirmed;
    const changed = header ? Object.values(state.steps) : [...dirtySteps].map((key) => state.steps[key]);
    dirtySteps.clear();
    if (events.length) state.projectedEventSeq = events[events.length - 1].seq;
    const { input } = run;
    const agencies = this.agencies.take();
    return {
      steps: changed.map((step) => step.key),
      firstEventSeq: events[0]?.seq,
      lastEventSeq: events[events.length - 1]?.seq,
      header,
      projection: {
        journeyId: run.journeyId,
        seq,
        status,
        ...(due ? { nextDueAt: due } : {}),
        ...(status === 'completed' || status === 'cancelled' ? { completedAt: run.now() } : {}),
        ...(state.cancelReason ? { cancelReason: state.cancelReason } : {}),
        steps: changed,
        events,
        subject: run.subject,
        ...(header ? { header: journeyHeader(input) } : {}),
        titles: Object.fromEntries(changed.map((step) => [step.key, run.definition(step.key).titles])),
        ...(agencies ? { agencies } : {}),
      },
    };
  }

  /** The read model has it: the timeline may forget those events (it keeps the last few). */
  confirm(taken: TakenProjection): void {
    const { state } = this.run;
    if (taken.header) state.headerConfirmed = true;
    if (taken.lastEventSeq !== undefined) state.confirmedEventSeq = Math.max(state.confirmedEventSeq ?? 0, taken.lastEventSeq);
    const confirmed = state.confirmedEventSeq ?? 0;
    if (state.timeline.length > TIMELINE_KEPT) {
      state.timeline = state.timeline.filter((e, i, all) => e.seq > confirmed || i >= all.length - TIMELINE_KEPT);
    }
  }

  /** It did not arrive: its steps and events go out again with the next projection. */
  redo(taken: TakenProjection): void {
    const { run } = this;
    for (const key of taken.steps) run.dirtySteps.add(key);
    if (taken.firstEventSeq !== undefined) run.state.projectedEventSeq = Math.min(run.state.projectedEventSeq, taken.firstEventSeq - 1);
    run.touch();
  }

  /** Starts the loop that projects every change the planner has seen (unless an agency call took it). */
  start(): void {
    this.loop = this.projectChanges();
  }

  /** Stops the loop once nothing is left to project; the promise settles when it has stopped. */
  stop(): Promise<void> {
    this.stopRequested = true;
    return this.loop!;
  }

  /**
   * The next due date goes to visibility at minute precision: every upsert is a visibility write
   * on the server, and steps that follow each other within a minute need not cause one each.
   */
  private dueToTheMinute(): string {
    const due = nextDueAt(this.run.state.steps);
    return due ? `${due.slice(0, 16)}:00.000Z` : '';
  }

  /**
   * Once the loop has settled after a cancellation in Temporal, starts it again in the caller's
   * scope (the journey's close, which is not cancellable), to project the journey's end.
   */
  async resume(): Promise<void> {
    await this.loop;
    if (!this.cancelled) return;
    this.cancelled = false;
    this.stopRequested = false;
    this.loop = this.projectChanges();
  }

  private async project(): Promise<void> {
    const taken = this.take(this.carriedInFlight);
    try {
      await projection.projectJourney(taken.projection);
    } catch (err) {
      // Cancelled on its way: it goes out again once the loop resumes.
      if (isCancellation(err)) this.redo(taken);
      throw err;
    }
    this.confirm(taken);
  }

  private async projectChanges(): Promise<void> {
    const { run } = this;
    const carry = run.legacy.carryProjections;
    try {
      for (;;) {
        // With projections riding along, wait until the planner has seen the latest change: the
        // agency calls it launches take the pending changes with them.
        await condition(() => this.stopRequested || (run.version !== run.projectedVersion && (!carry || run.plannerOff || run.planned === run.version)));
        if (run.version === run.projectedVersion) {
          // Nothing left to project: either we are asked to stop, or an agency call took the changes.
          if (this.stopRequested) return;
          continue;
        }
        this.projecting = true;
        try {
          await this.project();
        } finally {
          this.projecting = false;
        }
      }
    } catch (err) {
      // A cancellation in Temporal ends the loop until the journey's close resumes it; without
      // the patch (see `LegacyPaths`) it rejects as it always did.
      if (!(isCancellation(err) && run.cancelledInTemporal)) throw err;
      this.cancelled = true;
    }
  }
}
