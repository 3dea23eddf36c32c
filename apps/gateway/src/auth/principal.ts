/**
 * `source`: an authentic source (a register) that publishes events to `POST /events`.
 * `print-service`: the platform's print shop, which takes paper letters from the print queue.
 * `supervisor`: of an agency (the agency claim): told of escalations, sees the agency's tasks, reassigns them.
 */
export const ROLES = ['catalog-admin', 'agency-admin', 'caseworker', 'citizen', 'auditor', 'source', 'print-service', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from a verified access token. */
export interface Principal {
  sub: string;
  roles: Role[];
  /** For agency admins, caseworkers and supervisors: the agency they act for. */
  agency?: string;
  /** For caseworkers: the teams of their agency whose queues they work (OIDC_TEAMS_CLAIM). */
  teams?: string[];
  /** For citizens: the national number (person) or enterprise number they act as. */
  nationalNumber?: string;
  enterpriseNumber?: string;
  name?: string;
  /** For authentic sources: the source key they publish as (the CloudEvents `source`, e.g. `national-register`). */
  source?: string;
}

export const hasRole = (p: Principal, ...roles: Role[]) => roles.some((r) => p.roles.includes(r));
