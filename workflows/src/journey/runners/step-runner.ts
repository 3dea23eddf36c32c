import type { StepState } from '@levensloop/domain';
import type { CompleteTaskInput } from '@levensloop/contracts/workflow';
import type { JourneyRun } from '../journey-run';

/**
 * What a step kind does once the step has started and its declared data is prepared (see
 * `runStep` in ../steps.ts, which runs every kind the same way). One runner per step kind, in
 * the registry of ./index.ts.
 */
export interface StepRunner {
  /** The step's task opens as soon as it starts (when it has no data to prepare first). */
  readonly opensTaskAtStart: boolean;
  /**
   * The step's own work: a phase under way (its promise settles false when a caseworker skipped
   * the step, which then stops), or undefined when there is nothing to run now. Return the
   * phase's promise itself (no `async` wrapper): the coroutine's timing is part of the history.
   */
  work(run: JourneyRun, step: StepState): Promise<boolean | void> | undefined;
  /** After its work the step waits while it is `waiting` (its task is open). */
  readonly waitsForTask: boolean;
  /** What a completed task changes in the step besides its status and outcome. */
  taskCompleted?(step: StepState, task: CompleteTaskInput): void;
}
