import type { Translations } from '@levensloop/domain';
import { preparedRows, queryRows } from '../query';
import { AuditLog } from './audit-log.repository';
import type { Db } from './db';

/** A team an agency registered (table `agency_teams`). */
export interface AgencyTeamRow {
  agency: string;
  code: string;
  names: Translations;
  registered_at: Date;
  registered_by: string;
}

const COLUMNS = 'agency, code, names, registered_at, registered_by';

/**
 * An agency's teams (writer: the catalog, in the gateway and the CLI). A team is registered once
 * (its code and names); steps and reassignments name registered teams.
 */
export class AgencyTeams {
  constructor(private readonly db: Db) {}

  /** The agency's teams, by code. */
  list(agency: string): Promise<AgencyTeamRow[]> {
    return preparedRows<AgencyTeamRow>(this.db, 'agency_teams_list', `SELECT ${COLUMNS} FROM agency_teams WHERE agency = $1 ORDER BY code`, [agency]);
  }

  /**
   * Registers a team with its audit row, in the caller's transaction; undefined when the agency
   * has a team of that code already (nothing written).
   */
  async register(agency: string, code: string, names: Translations, actor: string): Promise<AgencyTeamRow | undefined> {
    const [saved] = await queryRows<AgencyTeamRow>(
      this.db,
      `INSERT INTO agency_teams (agency, code, names, registered_by) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (agency, code) DO NOTHING RETURNING ${COLUMNS}`,
      [agency, code, JSON.stringify(names), actor],
    );
    if (saved) await new AuditLog(this.db).append({ actor, action: 'agency.team_registered', targetType: 'agency', targetId: agency, detail: { team: code, names } });
    return saved;
  }
}
