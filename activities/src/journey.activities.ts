import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { AgencyRejectedError, callAgencyEndpoint } from '@levensloop/agency-client';
import { applyJourneyProjection } from '@levensloop/journeys';
import type {
  AgencyCallInput,
  AgencyCallResult,
  JourneyActivities,
  JourneyProjection,
} from '@levensloop/contracts/workflow';

export interface JourneyActivityDeps {
  dataSource: DataSource;
  agencyTimeoutMs: number;
}

/** The journey's activities: thin adapters over the agency client and the read-model projection. */
export function createJourneyActivities(deps: JourneyActivityDeps): JourneyActivities {
  return {
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
        const result = await callAgencyEndpoint(input, { timeoutMs: deps.agencyTimeoutMs });
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
