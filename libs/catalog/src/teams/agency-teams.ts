/**
 * An agency's teams in the catalog (rules: libs/domain/src/agency-teams.ts; table `agency_teams`
 * through the AgencyTeams repository): listed, registered once each (audited), and asked when a
 * step version names a team. Runs on the catalog's transaction (see CatalogService).
 */
import { stepTeamProblems, teamRegistrationProblems, type Problem, type Translations } from '@levensloop/domain';
import { AgencyTeams, type AgencyTeamRow } from '@levensloop/persistence';
import type { EntityManager } from 'typeorm';
import { assertValid, conflict } from '../catalog-error';

export interface TeamView {
  agency: string;
  code: string;
  names: Translations;
  registeredAt: Date;
}

export const toTeamView = (row: AgencyTeamRow): TeamView => ({ agency: row.agency, code: row.code, names: row.names, registeredAt: row.registered_at });

export async function listTeams(db: EntityManager, agency: string): Promise<TeamView[]> {
  return (await new AgencyTeams(db).list(agency)).map(toTeamView);
}

/** Registers a team of an existing agency; refused when invalid (422) or when the agency has it already (409). */
export async function registerTeam(db: EntityManager, agency: string, team: { code?: unknown; names?: unknown }, actor: string): Promise<TeamView> {
  assertValid('The team', teamRegistrationProblems(team));
  const code = team.code as string;
  const names = Object.fromEntries(Object.entries(team.names as Translations).map(([l, n]) => [l, (n as string).trim()])) as Translations;
  const saved = await new AgencyTeams(db).register(agency, code, names, actor);
  if (!saved) throw conflict(`Agency '${agency}' has a team '${code}' already.`);
  return toTeamView(saved);
}

/** A step's team must be one of its agency's (once the agency registered any). */
export async function stepTeamProblemsIn(db: EntityManager, agency: string, def: { team?: unknown }): Promise<Problem[]> {
  if (typeof def.team !== 'string') return [];
  return stepTeamProblems(agency, def, (await new AgencyTeams(db).list(agency)).map((t) => t.code));
}
