import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { AGENCY_ROLES, notOfferedMessage, routingExplanation, type ServiceStepDefinition } from '@levensloop/domain';
import type { RoutedStep, RouteStepInput, RoutingActivities } from '@levensloop/contracts/workflow';
import { AgencyRouting, DataAccessLog } from '@levensloop/persistence';
import { readRoleKey, SOURCE_CATALOG } from '@levensloop/sources';
import { logReadOutcomes, readFailureOutcome, type OnceOnlyDeps } from './once-only.activities';

/** The workflow run the activity serves ('-' outside an activity, e.g. when called directly). */
function runIdOf(): string {
  try {
    return Context.current().info.workflowExecution?.runId ?? '-';
  } catch {
    return '-';
  }
}

/** Not worth retrying by itself: the catalog or the register must change first (a caseworker retries). */
const notOffered = (message: string) => ApplicationFailure.nonRetryable(message, 'NotOffered');

/**
 * Routes a step named by agency role: reads the role's field of the subject from its authentic
 * source (logged before the read, as every once-only read), finds the agency serving that key and
 * the latest version of the step it publishes.
 */
export function createRoutingActivities(deps: OnceOnlyDeps): RoutingActivities {
  const db = deps.dataSource;
  return {
    async routeStep(input: RouteStepInput): Promise<RoutedStep> {
      const { journeyId, nodeKey, subject, stepKey } = input;
      const role = AGENCY_ROLES[input.role];
      if (!role) throw notOffered(`Unknown agency role '${input.role}' for step '${stepKey}'.`);
      if (!deps.sources) throw ApplicationFailure.nonRetryable('No authentic sources are configured for this worker (set SOURCES_URL).', 'SourcesNotConfigured');

      const [request] = await new DataAccessLog(db).append([
        {
          // Per run of the workflow and routing round: a retry after a continue-as-new is logged anew.
          accessKey: `${journeyId}/${nodeKey}/route/${runIdOf()}/${input.round}`,
          subjectType: subject.type,
          subjectId: subject.id,
          journeyId,
          nodeKey,
          agency: role.agency,
          stepKey,
          actor: `${role.agency}/${stepKey}`,
          actorKind: 'step',
          source: role.source,
          fields: [role.field],
          purpose: role.purpose,
          legalBasis: role.legalBasis,
          outcome: 'requested',
        },
      ]);
      const requests = request ? [request] : [];
      const value = await readRoleKey(deps.sources, role, subject, { purpose: role.purpose.nl, requester: `${role.agency}/${stepKey}`, journeyId }).catch(async (err: Error) => {
        await logReadOutcomes(db, requests, readFailureOutcome(err), err.message);
        if (err.name === 'SourceFieldError' || err.name === 'SourceRequestError') throw ApplicationFailure.nonRetryable(err.message, err.name);
        throw err;
      });
      await logReadOutcomes(db, requests, 'granted');
      if (!value) throw notOffered(notOfferedMessage(role, undefined, stepKey));

      const route = await new AgencyRouting(db).route(role.code, value, stepKey);
      if (!route) throw notOffered(notOfferedMessage(role, value, stepKey));
      if (route.version === null || !route.definition) throw notOffered(notOfferedMessage(role, value, stepKey, { code: route.code, name: route.names.nl }));
      const definition: ServiceStepDefinition & { version: number } = { ...route.definition, agency: route.code, key: stepKey, version: route.version };
      return {
        agency: route.code,
        agencyNames: route.names,
        role: role.code,
        served: value,
        source: role.source,
        field: role.field,
        explanation: routingExplanation(role, route.names, value, SOURCE_CATALOG[role.source]?.titles ?? { nl: role.source }),
        definition,
      };
    },
  };
}
