/** Caseworker and citizen steps: a task opens (once the step's data is prepared) and the step waits until it is done. */
import type { StepKind } from '@levensloop/domain';
import { taskOpened } from '../service-norms';
import { openInTeamQueue } from '../teams';
import type { StepRunner } from './step-runner';

function humanTaskRunner(assignee: StepKind): StepRunner {
  return {
    opensTaskAtStart: true,
    waitsForTask: true,
    work: (run, step) => {
      if (step.status === 'running') {
        // Back from preparing its data (or a retry): the task opens now.
        step.status = 'waiting';
        step.waitingFor = 'task';
        if (assignee === 'caseworker') openInTeamQueue(run, step);
        run.record('step.task_created', step.key, { assignee });
        taskOpened(run, step);
      }
      return undefined;
    },
  };
}

export const caseworkerRunner = humanTaskRunner('caseworker');
export const citizenRunner = humanTaskRunner('citizen');
