/**
 * Once-only data preparation: a step gets its declared fields from the sources; consent-based
 * fields are asked for consent first; what no source holds (or may not be fetched) is asked from
 * the citizen. Values stay in the database, never in this workflow's history.
 */
import { condition, isCancellation } from '@temporalio/workflow';
import type { StepState } from '@levensloop/domain';
import type { PrepareStepDataInput } from '@levensloop/contracts/workflow';
import { engine } from './activities';
import { describeFailure } from './attention';
import { TERMINAL } from './constants';
import type { JourneyRun } from './journey-run';
import { waitingOnCitizen } from './legal-clock';
import { taskOpened } from './service-norms';

/** What the data activity needs for a step in its current round (what comes after is added per use). */
function stepDataInput(run: JourneyRun, step: StepState, extra: Partial<PrepareStepDataInput>): PrepareStepDataInput {
  const def = run.definition(step.key);
  return {
    journeyId: run.journeyId,
    nodeKey: step.key,
    agency: step.agency,
    stepKey: def.key,
    subject: run.subject,
    requirements: def.dataRequirements!,
    round: step.dataRound ?? 0,
    ...extra,
  };
}

/** Whether a step still has declared data to prepare before its work. */
export function needsData(run: JourneyRun, step: StepState): boolean {
  return !!run.definition(step.key).dataRequirements?.length && !step.dataReady;
}

/** Prepares a step's data, waiting for the citizen's consent or missing values as long as needed. */
export async function prepareData(run: JourneyRun, step: StepState): Promise<void> {
  const { state } = run;
  for (;;) {
    step.status = 'running';
    delete step.error;
    run.markDirty(step.key);
    const answers = state.answers?.[step.key];
    const result = await engine.prepareStepData(
      stepDataInput(run, step, {
        ...(step.staleData ? { refresh: true } : {}),
        ...(answers?.consents ? { consents: answers.consents } : {}),
        ...(answers?.provided ? { provided: answers.provided } : {}),
        ...(answers?.by ? { answeredBy: answers.by } : {}),
      }),
    );
    // Recorded now: a later round must not replay them over a withdrawal.
    if (answers?.consents) delete answers.consents;
    delete step.staleData;
    if (result.consentNeeded.length) {
      step.status = 'waiting';
      step.waitingFor = 'consent';
      step.consentAsked = result.consentNeeded;
      run.record('step.consent_requested', step.key, { fields: result.consentNeeded });
      taskOpened(run, step);
      waitingOnCitizen(run, step, 'consent');
      await condition(() => step.waitingFor !== 'consent');
      continue;
    }
    if (result.missing.length) {
      step.status = 'waiting';
      step.waitingFor = 'data';
      step.asked = result.missing;
      run.record('step.data_requested', step.key, { fields: result.missing });
      taskOpened(run, step);
      waitingOnCitizen(run, step, 'data');
      await condition(() => step.waitingFor !== 'data');
      continue;
    }
    step.dataReady = true;
    delete step.consentAsked;
    run.record('step.data_prefilled', step.key, { prefilled: result.prefilled, asked: step.asked ?? [] });
    return;
  }
}

/**
 * Fetches again the data of steps a source event concerned (one at a time, in order). Runs only
 * for journeys that get a source event (no extra promise otherwise).
 */
export async function refreshData(run: JourneyRun): Promise<void> {
  const { refreshes, state } = run;
  for (;;) {
    await condition(() => refreshes.length > 0);
    const key = refreshes.shift()!;
    const step = state.steps[key];
    if (TERMINAL.has(step.status) || !step.dataReady) continue;
    try {
      const result = await engine.prepareStepData(stepDataInput(run, step, { refresh: true }));
      run.record('step.data_prefilled', key, { prefilled: result.prefilled, refreshed: true });
    } catch (err) {
      if (isCancellation(err)) throw err;
      // The step keeps the data it has; the timeline says the refresh failed.
      run.record('step.data_prefilled', key, { refreshed: false, error: describeFailure(err) });
    }
  }
}
