/**
 * The state of one run of a journey: what it carries across continue-as-new (`state`) and the
 * bookkeeping of this run (versions, steps under way, answers not taken up yet). Every module of
 * the workflow works on this one object.
 */
import { CancellationScope } from '@temporalio/workflow';
import {
  initialStepStates,
  isJourneyOpen,
  type LifeEventSnapshot,
  type ServiceStepDefinition,
  type Subject,
  type TimelineEvent,
  type TimelineType,
} from '@levensloop/domain';
import type { CancelJourneyInput, CarriedJourneyState, JourneyInput, JourneyLiveState } from '@levensloop/contracts/workflow';
import { TERMINAL, TIMELINE_KEPT } from './constants';
import { beginCompensation } from './compensation';
import { callsToFinish, cancelCalls } from './in-flight';
import { LegacyPaths } from './legacy';
import { Projector } from './projector';

/** The reason a journey cancelled through Temporal itself carries. */
export const TEMPORAL_CANCEL_REASON = 'cancelled in Temporal';

export type PinnedDefinition = ServiceStepDefinition & { version: number };


export class JourneyRun {
  readonly journeyId: string;
  readonly snapshot: LifeEventSnapshot;
  readonly subject: Subject;
  readonly state: CarriedJourneyState;
  readonly legacy: LegacyPaths;
  readonly projector: Projector;
  private readonly nodes: Map<string, LifeEventSnapshot['nodes'][number]>;

  /** Bumped on every state change: wakes the planner and the projector. */
  version = 0;
  /** The version the last projection was taken at. */
  projectedVersion: number;
  /** The last version the planner finished with; the projector waits for it (see the projector). */
  planned = -1;
  /** The planner stopped (the journey closes or continues as new). */
  plannerOff = false;
  /** Agency calls under way (the journey does not continue as new in the middle of one). */
  automaticInFlight = 0;
  /** Retry or skip answers a step needing attention has not taken up yet. */
  readonly attentionDecisions = new Map<string, 'retry' | 'skip'>();
  /** Steps whose data must be fetched again (a source event arrived), handled by the refresher. */
  readonly refreshes: string[] = [];
  /** Steps whose coroutine runs. */
  readonly active = new Set<string>();
  /** Steps changed since the last projection: only those rows are written. */
  readonly dirtySteps = new Set<string>();
  /** The scope every step runs in: cancelling the journey cancels it. */
  readonly steps: CancellationScope;
  /** Temporal was asked to cancel the workflow, and the journey ends as cancelled (see `onTemporalCancellation`). */
  cancelledInTemporal = false;

  constructor(readonly input: JourneyInput) {
    this.journeyId = input.journeyId;
    this.snapshot = input.snapshot;
    this.subject = input.subject;
    this.nodes = new Map(input.snapshot.nodes.map((n) => [n.key, n]));
    this.state = input.carried ?? {
      status: 'running',
      steps: initialStepStates(input.snapshot),
      timeline: [],
      nextEventSeq: 1,
      projectionSeq: 0,
      projectedEventSeq: 0,
    };
    this.legacy = new LegacyPaths(input);
    this.projector = new Projector(this);
    this.projectedVersion = input.carried ? 0 : -1;
    // Registered before the steps' scope exists, so that the journey is cancelled before any step
    // sees the cancellation.
    CancellationScope.current().cancelRequested.catch(() => this.onTemporalCancellation());
    this.steps = new CancellationScope();
  }

  /**
   * Temporal was asked to cancel the workflow (the root scope): an open journey ends the way the
   * `cancelJourney` update ends it, and the journey's close projects it outside the cancellation.
   */
  private onTemporalCancellation(): void {
    if (!this.legacy.temporalCancellationEndsJourney()) return cancelCalls(this, []);
    this.cancelledInTemporal = true;
    if (this.isOpen()) this.cancel({ by: 'temporal', reason: TEMPORAL_CANCEL_REASON });
  }

  /** The pinned definition of a node's step. */
  definition(key: string): PinnedDefinition {
    // A step named by agency role runs the version of the agency it was routed to (./routing.ts).
    return this.state.routed?.[key]?.definition ?? this.nodes.get(key)!.definition;
  }

  now(): string {
    return new Date().toISOString();
  }

  touch(): void {
    this.version++;
  }

  markDirty(key: string): void {
    this.dirtySteps.add(key);
    this.touch();
  }

  /** Adds a timeline event (its step's row is projected again). */
  record(type: TimelineType, step?: string, detail?: Record<string, unknown>): void {
    const event: TimelineEvent = { seq: this.state.nextEventSeq++, at: this.now(), type };
    if (step) {
      event.step = step;
      this.dirtySteps.add(step);
    }
    if (detail) event.detail = detail;
    this.state.timeline.push(event);
    this.touch();
  }

  /**
   * Ends the journey as cancelled: every step not yet done is cancelled, and so is the scope the
   * steps run in. The `cancelJourney` update and a cancellation requested in Temporal both end here.
   */
  cancel(request: CancelJourneyInput): void {
    const { state } = this;
    // Agency calls under way of steps to be undone may finish first (./in-flight).
    const finishing = callsToFinish(this);
    state.status = 'cancelled';
    state.cancelReason = request.reason;
    for (const step of Object.values(state.steps)) {
      if (!TERMINAL.has(step.status) && !finishing.includes(step.key)) {
        step.status = 'cancelled';
        step.completedAt = this.now();
        this.dirtySteps.add(step.key);
      }
    }
    // Completed steps to undo: the journey is compensating, and is cancelled once they are undone.
    if (!beginCompensation(this, request, finishing)) this.record('journey.cancelled', undefined, { by: request.by, reason: request.reason });
    this.steps.cancel();
    cancelCalls(this, finishing);
  }

  isOpen(): boolean {
    return isJourneyOpen(this.state.status);
  }

  liveState(): JourneyLiveState {
    const { state } = this;
    return {
      journeyId: this.journeyId,
      lifeEvent: { key: this.snapshot.key, version: this.snapshot.version },
      status: state.status,
      steps: Object.values(state.steps),
      timeline: state.timeline.slice(-TIMELINE_KEPT),
      ...(state.cancelReason ? { cancelReason: state.cancelReason } : {}),
    };
  }
}
