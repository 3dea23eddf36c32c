/**
 * Teams as catalog data: an agency registers its teams (a code, and names in the four languages),
 * and a step or a reassignment names one of them. An agency that registered no team yet keeps the
 * free team codes of before (its steps were written that way); once it has one, only its teams
 * are accepted. Pure rules; the catalog and the gateway ask them with the agency's list.
 */
import { LANGUAGES, type Translations } from './model';
import type { Problem } from './problem';
import { isTeamCode } from './teams';
import { validateTranslations } from './validation';

export interface TeamRegistration {
  code?: unknown;
  names?: unknown;
}

/** Problems with a team to register: a team code, and a name in each of nl, fr, de and en. */
export function teamRegistrationProblems(team: TeamRegistration): Problem[] {
  const problems: Problem[] = [];
  if (!isTeamCode(team.code)) {
    problems.push({ path: '/code', message: `the team code ${JSON.stringify(team.code ?? null)} is not valid: lowercase letters, digits and hyphens, 2 to 64 characters, e.g. "intake-ghent"` });
  }
  validateTranslations(team.names, '/names', problems);
  if (!problems.some((p) => p.path.startsWith('/names'))) {
    const names = team.names as Partial<Translations>;
    const missing = LANGUAGES.filter((l) => typeof names[l] !== 'string' || !names[l]!.trim());
    if (missing.length) problems.push({ path: '/names', message: `a team is named in the four languages: add ${missing.join(', ')}` });
  }
  return problems;
}

/** The list of an agency's teams as a message names them. */
const listed = (teams: readonly string[]) => teams.map((t) => `'${t}'`).join(', ');

/**
 * Why a team is not one of the agency's (undefined: it is, or the agency registered none yet).
 * The message says which teams exist.
 */
export function unknownTeamMessage(agency: string, team: string | undefined, teams: readonly string[]): string | undefined {
  if (team === undefined || !teams.length || teams.includes(team)) return undefined;
  return `agency '${agency}' has no team '${team}': its teams are ${listed(teams)} (register a new one with POST /agencies/${agency}/teams)`;
}

/** A step's `team` must be one of its agency's registered teams (path `/team`). */
export function stepTeamProblems(agency: string, def: { team?: unknown }, teams: readonly string[]): Problem[] {
  const message = typeof def.team === 'string' ? unknownTeamMessage(agency, def.team, teams) : undefined;
  return message ? [{ path: '/team', message }] : [];
}
