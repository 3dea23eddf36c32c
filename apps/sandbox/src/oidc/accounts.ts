import { AGENCY_ROLES, defaultSubject, parseTokenRequest, ROLES, type Role, type TokenRequest } from './token-request';
import type { DevIdentity } from './dev-issuer';

/**
 * The sandbox's accounts: anyone of the test population, or staff of an agency, named by an
 * account id that says who they are (`citizen:85073003328`, `caseworker:municipality`,
 * `auditor:dev`): the development token's default subject, so both ways in give the same `sub`.
 */
export type Account = TokenRequest;

/** Roles one signs in as on the provider's page; `source` is the registers' own, never a person's. */
export const SIGN_IN_ROLES = ROLES.filter((r): r is Exclude<Role, 'source'> => r !== 'source');

export const accountIdOf = (account: Account) => defaultSubject(account);

/** The account an account id names, or undefined when it names none (a forged or stale id). */
export function accountFromId(accountId: string, nameOf: (number: string) => string | undefined): Account | undefined {
  const colon = accountId.indexOf(':');
  if (colon < 1) return undefined;
  const role = accountId.slice(0, colon);
  const who = accountId.slice(colon + 1);
  const input: Record<string, string> = { role };
  if ((AGENCY_ROLES as readonly string[]).includes(role)) input.agency = who;
  else if (role === 'citizen') input[who.length === 10 ? 'enterpriseNumber' : 'nationalNumber'] = who;
  else if (who !== 'dev') return undefined;
  if (!(SIGN_IN_ROLES as readonly string[]).includes(role)) return undefined;
  const parsed = parseTokenRequest(input);
  if (!parsed.ok) return undefined;
  const name = role === 'citizen' ? nameOf(who) : undefined;
  return { ...parsed.request, ...(name ? { name } : {}) };
}

/**
 * The claims the gateway reads (roles, agency, national or enterprise number, name), under today's
 * names: the sandbox is one provider among others, and the engine maps names by configuration.
 */
export function accountClaims(account: Account): Record<string, unknown> {
  return {
    roles: [account.role],
    ...(account.agency ? { agency: account.agency } : {}),
    ...(account.nationalNumber ? { national_number: account.nationalNumber } : {}),
    ...(account.enterpriseNumber ? { enterprise_number: account.enterpriseNumber } : {}),
    ...(account.name ? { name: account.name } : {}),
    ...(account.teams?.length ? { teams: account.teams } : {}),
  };
}

/** What the sign-in page offers: the population's people, and staff per known agency. */
export interface SignInChoices {
  citizens: DevIdentity[];
  agencies: string[];
}

/** The account chosen on the sign-in page: a listed choice, or "someone else" typed in. */
export function accountFromForm(form: Record<string, unknown>, nameOf: (number: string) => string | undefined): { account?: Account; errors: string[] } {
  const choice = typeof form.identity === 'string' ? form.identity : '';
  if (!choice) return { errors: ['choose'] };
  if (choice !== 'other') {
    const account = accountFromId(choice, nameOf);
    return account ? { account, errors: [] } : { errors: ['choose'] };
  }
  const role = typeof form.role === 'string' ? form.role : '';
  const agency = typeof form.agency === 'string' ? form.agency.trim() : '';
  const number = typeof form.number === 'string' ? form.number.replace(/[\s.-]/g, '') : '';
  const errors: string[] = [];
  if (!(SIGN_IN_ROLES as readonly string[]).includes(role)) errors.push('role');
  if ((AGENCY_ROLES as readonly string[]).includes(role) && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(agency)) errors.push('agency');
  if (role === 'citizen' && !/^\d{10,11}$/.test(number)) errors.push('number');
  if (errors.length) return { errors };
  const who = role === 'citizen' ? number : (AGENCY_ROLES as readonly string[]).includes(role) ? agency : 'dev';
  const account = accountFromId(`${role}:${who}`, nameOf);
  return account ? { account, errors: [] } : { errors: [role === 'citizen' ? 'number' : 'agency'] };
}
