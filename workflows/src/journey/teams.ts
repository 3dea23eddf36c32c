/**
 * Team queues and reassignment: a caseworker task opens in the queue of the team its step
 * declares, and a supervisor reassigns it to a caseworker or another team (the `reassignTask`
 * update, validated by the domain's rule; a refused one never reaches the history).
 */
import { patched, setHandler } from '@temporalio/workflow';
import { applyReassignment, reassignTaskError, type StepState } from '@levensloop/domain';
import { reassignTaskUpdate } from '@levensloop/contracts/workflow';
import type { JourneyRun } from './journey-run';

/**
 * The task of a step that declares a team opens in that team's queue. Steps without a team (every
 * committed history) change nothing and ask no patch; with one, the patch marks the history.
 */
export function openInTeamQueue(run: JourneyRun, step: StepState): void {
  const team = run.definition(step.key).team;
  if (team && step.team === undefined && patched('15e-team-queue')) step.team = team;
}

export function registerTeamHandlers(run: JourneyRun): void {
  setHandler(
    reassignTaskUpdate,
    (request) => {
      const step = run.state.steps[request.nodeKey];
      run.record('step.reassigned', step.key, applyReassignment(step, request));
      return step;
    },
    {
      validator: (request) => {
        const error = reassignTaskError(run.state.steps, request);
        if (error) throw new Error(error);
      },
    },
  );
}
