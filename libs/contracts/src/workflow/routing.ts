/**
 * Routing a step named by agency role (libs/domain agency-roles.ts): the journey asks the
 * `routeStep` activity which agency serves the subject and which version of the step it offers.
 */
import type { ServiceStepDefinition, Subject, Translations } from '@levensloop/domain';

export interface RouteStepInput {
  journeyId: string;
  nodeKey: string;
  /** The role, e.g. `municipality`. */
  role: string;
  stepKey: string;
  subject: Subject;
  /** Attempt of routing for this step (0 first; a caseworker's retry asks again): keys the access log. */
  round: number;
}

/** Who is responsible for the step and why: recorded on the journey's timeline. */
export interface RoutedStep {
  agency: string;
  agencyNames: Translations;
  role: string;
  /** The key the subject's source gave (e.g. the NIS code 44021) and where it came from. */
  served: string;
  source: string;
  field: string;
  /** Why, in four languages: "to Gent (NIS 44021), from the address register". */
  explanation: Translations;
  /** The step version of that agency, pinned for this journey. */
  definition: ServiceStepDefinition & { version: number };
}

export interface RoutingActivities {
  routeStep(input: RouteStepInput): Promise<RoutedStep>;
}
