/**
 * The ways of journeys started before revision 1 (see `JOURNEY_REVISION` in the contracts), kept
 * so that their histories replay unchanged. From revision 1 on, what `patched()` guards here is
 * simply the way, without marker events. Each `patched()` is asked where the old code asked it.
 */
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES, journeyAgencies, type JourneyInput } from '@levensloop/contracts/workflow';

export class LegacyPaths {
  /** Revision 1 or later: the paths below are taken without asking. */
  readonly revised: boolean;
  /**
   * Read-model changes ride along with agency calls. Journeys started before that keep the old way.
   * Asked at the start of every run (a marker in older histories).
   */
  readonly carryProjections: boolean;

  constructor(private readonly input: JourneyInput) {
    this.revised = (input.revision ?? 0) >= 1;
    this.carryProjections = this.revised || patched('projection-rides-with-agency-calls');
  }

  /** Service-norm timers only for steps with an alarm still to come; older journeys always created the scope. */
  normTimersOnlyWhenNeeded(): boolean {
    return this.revised || patched('norm-timers-only-when-needed');
  }

  /**
   * Reminders and delay notices come from the step's timers (the dispatcher swept the read model
   * for them before): revision 2 on. Not a `patched()`: a journey of revision 1 records no patch
   * markers, and its steps under way keep the history they had (see JOURNEY_REVISION).
   */
  noticesOnTimers(): boolean {
    return (this.input.revision ?? 0) >= 2;
  }

  /**
   * A citizen's task that opens after its reminder instant (and before it is due) is reminded at
   * once, and an agency call that may outlast its step's due date races a timer for the delay
   * notice: revision 3 on (journeys of revision 2 keep the commands their histories have).
   */
  noticesAtOpeningAndDuringCalls(): boolean {
    return (this.input.revision ?? 0) >= 3;
  }

  /** The next due date goes to visibility at minute precision; older journeys keep exact due dates. */
  dueDateToTheMinute(): boolean {
    return this.revised || patched('due-date-to-the-minute');
  }

  /**
   * A consent or data answer is noted on its step (who, and what the task row keeps), so the
   * projection closes the task with it. Asked when an answer arrives, whatever the revision:
   * histories of revision 1 answered without it.
   */
  answersOnStep(): boolean {
    return patched('task-answers-on-step');
  }

  /**
   * A cancellation requested in Temporal (a client's cancel, the Web UI) ends the journey as
   * cancelled; before, the projector's loop rejected unhandled and every workflow task failed.
   * Asked when the request arrives, whatever the revision: no history without one has the marker.
   */
  temporalCancellationEndsJourney(): boolean {
    return patched('temporal-cancellation-ends-journey');
  }

  /**
   * An agency's step waiting on the citizen (a consent or data task) suspends its legal clock.
   * Asked when such a task opens: journeys recorded before kept their deadlines running.
   */
  legalClock(): boolean {
    return patched('15c-legal-clock-suspends-on-citizen');
  }

  /** The status visibility has at the start: a journey of revision 1 or later was started with it. */
  initialStatusAttribute(): string {
    return this.revised && !this.input.carried ? 'running' : '';
  }

  /** Before revision 1 the starter did not set the search attributes known at start: the journey does. */
  upsertStartAttributes(): void {
    if (this.revised) return;
    const { snapshot, subject, subjectSearchKey } = this.input;
    upsertSearchAttributes({
      [SEARCH_ATTRIBUTES.lifeEvent.name]: [snapshot.key],
      [SEARCH_ATTRIBUTES.agencies.name]: journeyAgencies(snapshot),
      // The keyed hash when the starter gave one; histories recorded before carry the number.
      [SEARCH_ATTRIBUTES.subject.name]: [subjectSearchKey ?? `${subject.type}:${subject.id}`],
    });
  }
}
