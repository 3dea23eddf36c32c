import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { AgencyRejectedError, callAgencyEndpoint } from '@levensloop/agency-client';
import { applyJourneyProjection } from '@levensloop/journeys';
import { createOnceOnlyActivities, loadStepFields, type SourceReader } from './once-only.activities';
import type {
  AgencyCallInput,
  AgencyCallResult,
  JourneyActivities,
  JourneyProjection,
} from '@levensloop/contracts/workflow';

export interface JourneyActivityDeps {
  dataSource: DataSource;
  agencyTimeoutMs: number;
  /** The authentic sources (once-only data of steps that declare requirements). */
  sources?: SourceReader;
}

/** The journey's activities: thin adapters over the agency client and the read-model projection. */
export function createJourneyActivities(deps: JourneyActivityDeps): JourneyActivities {
  return {
    ...createOnceOnlyActivities(deps),
    async callAgency(input: AgencyCallInput): Promise<AgencyCallResult> {
      // The read model first: a journey whose step is under way shows it before the agency answers.
      // A database that is down must not fail the agency call: the workflow projects again.
      let projected: boolean | undefined;
      if (input.projection) {
        projected = await applyJourneyProjection(deps.dataSource, input.projection).then(
          () => true,
          () => false,
        );
      }
      try {
        // Exactly the step's declared fields, read here so they never enter the workflow history.
        const call = input.withFields ? { ...input, fields: (await loadStepFields(deps.dataSource, input.journeyId, input.nodeKey)).fields } : input;
        const result = await callAgencyEndpoint(call, { timeoutMs: deps.agencyTimeoutMs });
        return projected === undefined ? result : { ...result, projected };
      } catch (err) {
        if (err instanceof AgencyRejectedError) {
          throw ApplicationFailure.nonRetryable(err.message, 'AgencyRejected', { status: err.status });
        }
        throw err;
      }
    },
    async projectJourney(projection: JourneyProjection): Promise<void> {
      await applyJourneyProjection(deps.dataSource, projection);
    },
  };
}
