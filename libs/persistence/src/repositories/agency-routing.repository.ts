import type { ServiceStepDefinition, Translations } from '@levensloop/domain';
import { preparedRows, queryRows } from '../query';
import type { Db } from './db';

/** The agency serving a role's key, with its latest published version of a step (null: it does not offer it). */
export interface AgencyRouteRow {
  code: string;
  names: Translations;
  version: number | null;
  definition: ServiceStepDefinition | null;
}

/** An agency serving a role and the step version it offers (null: none published). */
export interface OfferRow {
  code: string;
  names: Translations;
  served: string;
  version: number | null;
}

const LATEST_OFFER = `LEFT JOIN LATERAL (
    SELECT version, definition FROM service_steps s WHERE s.agency = a.code AND s.key = $2 AND s.status = 'published' ORDER BY version DESC LIMIT 1
  ) s ON true`;

/**
 * Routing of steps named by agency role (see libs/domain agency-roles.ts) over `agencies.serves`
 * and `service_steps` (writer of both: the catalog). Read by the journey's routing activity and
 * the catalogue's "offered by" listing.
 */
export class AgencyRouting {
  constructor(private readonly db: Db) {}

  /** The agency serving `role` = `value` (the first by code if several claim it) and its step, in one round trip. */
  async route(role: string, value: string, stepKey: string): Promise<AgencyRouteRow | undefined> {
    const rows = await preparedRows<AgencyRouteRow>(
      this.db,
      'agency_route',
      `SELECT a.code, a.names, s.version, s.definition FROM agencies a ${LATEST_OFFER}
        WHERE a.serves @> jsonb_build_object($1::text, $3::text) ORDER BY a.code LIMIT 1`,
      [role, stepKey, value],
    );
    return rows[0];
  }

  /** Every agency serving `role`, with the version of step `stepKey` it offers, by code. */
  offeredBy(role: string, stepKey: string): Promise<OfferRow[]> {
    return queryRows<OfferRow>(
      this.db,
      `SELECT a.code, a.names, a.serves->>$1 AS served, s.version FROM agencies a ${LATEST_OFFER}
        WHERE a.serves ? $1 ORDER BY a.code`,
      [role, stepKey],
    );
  }

  /**
   * The step a role's node is checked and planned with before it is routed: the latest published
   * version of `stepKey` at the first agency (by code) serving `role` that offers it.
   */
  async template(role: string, stepKey: string): Promise<{ agency: string; version: number; definition: ServiceStepDefinition } | undefined> {
    const rows = await queryRows<{ agency: string; version: number; definition: ServiceStepDefinition }>(
      this.db,
      `SELECT s.agency, s.version, s.definition FROM service_steps s JOIN agencies a ON a.code = s.agency
        WHERE a.serves ? $1 AND s.key = $2 AND s.status = 'published' ORDER BY s.agency, s.version DESC LIMIT 1`,
      [role, stepKey],
    );
    return rows[0];
  }
}
