import type { DataSource } from 'typeorm';
import { applyJourneyProjection } from '@levensloop/journeys';
import { catalogEndpointHosts, createAgencyCaller, type AgencyCallPolicy } from './agency-call';
import { createOnceOnlyActivities, loadStepFields, type SourceReader } from './once-only.activities';
import { createRoutingActivities } from './routing.activities';
import { createAppointmentActivities } from './appointments.activities';
import type {
  AgencyCallInput,
  AgencyCallResult,
  CompensationActivities,
  CompensationCallInput,
  CompensationCallResult,
  JourneyActivities,
  JourneyProjection,
  RoutingActivities,
  AppointmentActivities,
} from '@levensloop/contracts/workflow';

export interface JourneyActivityDeps {
  dataSource: DataSource;
  agencyTimeoutMs: number;
  /** How agency calls are guarded beyond the timeout (internal hosts allowed, answer cap, signing keys, profile). */
  agencyCalls?: Omit<AgencyCallPolicy, 'timeoutMs'>;
  /** The authentic sources (once-only data of steps that declare requirements). */
  sources?: SourceReader;
}

/** The journey's activities: thin adapters over the agency client and the read-model projection. */
export function createJourneyActivities(deps: JourneyActivityDeps): JourneyActivities & CompensationActivities & RoutingActivities & AppointmentActivities {
  const callAgencyEndpoint = createAgencyCaller(
    { hostsOf: catalogEndpointHosts(deps.dataSource, deps.agencyCalls?.hostsCacheMs) },
    { ...deps.agencyCalls, timeoutMs: deps.agencyTimeoutMs },
  );
  return {
    ...createOnceOnlyActivities(deps),
    ...createRoutingActivities(deps),
    ...createAppointmentActivities(callAgencyEndpoint),
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
      // Exactly the step's declared fields, read here so they never enter the workflow history.
      const call = input.withFields ? { ...input, fields: (await loadStepFields(deps.dataSource, input.journeyId, input.nodeKey)).fields } : input;
      const result = await callAgencyEndpoint(call);
      return projected === undefined ? result : { ...result, projected };
    },
    async compensateStep(input: CompensationCallInput): Promise<CompensationCallResult> {
      // The same guards as the step's own call (allow-listed hosts, no redirects, signed); nothing of the answer is kept.
      const result = await callAgencyEndpoint({ ...input, outputs: [] });
      return { status: result.status, replayed: result.replayed };
    },
    async projectJourney(projection: JourneyProjection): Promise<void> {
      await applyJourneyProjection(deps.dataSource, projection);
    },
  };
}
