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
      try {
        return await callAgencyEndpoint(input, { timeoutMs: deps.agencyTimeoutMs });
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
