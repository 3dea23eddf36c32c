/** A decision step: the engine evaluates the rule; a referral waits for a caseworker. */
import type { StepState } from '@levensloop/domain';
import { engine } from '../activities';
import { withAttention } from '../attention';
import type { JourneyRun } from '../journey-run';
import type { StepRunner } from './step-runner';
import { openInTeamQueue } from '../teams';
import { objectionRemedy } from '../remedy';

export const decisionRunner: StepRunner = {
  opensTaskAtStart: false,
  waitsForTask: true,
  work: (run, step) => (step.decision ? undefined : withAttention(run, step, () => decide(run, step))),
  // The caseworker's answer to a referral is the decision.
  taskCompleted: (step, task) => {
    if (step.decision) step.decision = { ...step.decision, outcome: task.outcome === 'approve' ? 'grant' : 'deny' };
  },
};

async function decide(run: JourneyRun, step: StepState): Promise<void> {
  const def = run.definition(step.key);
  step.status = 'running';
  delete step.error;
  run.markDirty(step.key);
  const result = await engine.decide({
    journeyId: run.journeyId,
    nodeKey: step.key,
    agency: step.agency,
    stepKey: def.key,
    stepVersion: def.version,
    subject: run.subject,
    data: run.input.data,
    rule: def.rule!,
  });
  step.decision = { outcome: result.outcome, ruleId: def.rule!.id, ruleVersion: def.rule!.version };
  // A final decision names its remedy; it is final (completed) as of now (see below).
  const remedy = result.outcome === 'refer' ? {} : objectionRemedy(run, step, run.now());
  run.record('step.decided', step.key, { outcome: result.outcome, rule: def.rule!.id, ruleVersion: def.rule!.version, ...remedy });
  if (result.outcome === 'refer') {
    step.status = 'waiting';
    step.waitingFor = 'task';
    openInTeamQueue(run, step);
    run.record('step.task_created', step.key, { assignee: 'caseworker' });
    return;
  }
  step.status = 'completed';
  step.completedAt = run.now();
  step.outcome = { result: result.outcome === 'grant' ? 'approved' : 'rejected', data: { decision: result.outcome } };
  run.markDirty(step.key);
}
