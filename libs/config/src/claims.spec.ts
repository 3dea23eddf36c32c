import { DEFAULT_CLAIM_NAMES, claimValue, identityClaims, readClaimNames } from './claims';
import { loadConfig, loadConsoleConfig } from './config';

describe('claim names', () => {
  it('defaults to the names the sandbox issuer uses', () => {
    expect(readClaimNames({})).toEqual({ claims: { roles: 'roles', agency: 'agency', nationalNumber: 'national_number', enterpriseNumber: 'enterprise_number' }, problems: [] });
  });

  it('reads another provider’s names, dotted paths included', () => {
    const { claims, problems } = readClaimNames({
      OIDC_ROLES_CLAIM: 'realm_access.roles',
      OIDC_AGENCY_CLAIM: ' https://vlaanderen.be/ovo ',
      OIDC_NATIONAL_NUMBER_CLAIM: 'rrn',
      OIDC_ENTERPRISE_NUMBER_CLAIM: 'kbonummer',
    });
    expect(problems).toEqual([]);
    expect(claims).toEqual({ roles: 'realm_access.roles', agency: 'https://vlaanderen.be/ovo', nationalNumber: 'rrn', enterpriseNumber: 'kbonummer' });
  });

  it('refuses names with spaces, a leading or trailing dot, and two settings naming one claim', () => {
    expect(readClaimNames({ OIDC_ROLES_CLAIM: 'my roles', OIDC_AGENCY_CLAIM: '.agency' }).problems).toEqual([
      expect.stringMatching(/^OIDC_ROLES_CLAIM must be a claim name/),
      expect.stringMatching(/^OIDC_AGENCY_CLAIM must be a claim name/),
    ]);
    expect(readClaimNames({ OIDC_AGENCY_CLAIM: 'roles' }).problems).toEqual([expect.stringMatching(/four different claims/)]);
  });

  it('reads a claim by its exact name before a dotted path', () => {
    expect(claimValue({ 'https://x.org/roles': ['a'] }, 'https://x.org/roles')).toEqual(['a']);
    expect(claimValue({ realm_access: { roles: ['b'] } }, 'realm_access.roles')).toEqual(['b']);
    expect(claimValue({ realm_access: ['b'] }, 'realm_access.roles')).toBeUndefined();
    expect(claimValue({}, 'a.b')).toBeUndefined();
  });

  it('reads identity claims through the names: roles as an array or a separated string', () => {
    expect(identityClaims({ roles: ['caseworker', 7], agency: 'bank', national_number: '85073003328' }, DEFAULT_CLAIM_NAMES)).toEqual({
      roles: ['caseworker'],
      agency: 'bank',
      nationalNumber: '85073003328',
      enterpriseNumber: undefined,
    });
    const names = { roles: 'groups', agency: 'org', nationalNumber: 'rrn', enterpriseNumber: 'kbo' };
    expect(identityClaims({ groups: 'citizen auditor,caseworker', kbo: '0123456749', roles: ['catalog-admin'], agency: 'bank' }, names)).toEqual({
      roles: ['citizen', 'auditor', 'caseworker'],
      agency: undefined,
      nationalNumber: undefined,
      enterpriseNumber: '0123456749',
    });
    expect(identityClaims({ roles: 'x', agency: '  ' }, DEFAULT_CLAIM_NAMES)).toMatchObject({ roles: ['x'], agency: undefined });
  });

  it('reads OIDC_ROLE_VALUES as value=role entries, and names each bad one', () => {
    expect(readClaimNames({ OIDC_ROLE_VALUES: 'A=caseworker,B=auditor' }).claims.roleValues).toEqual(new Map([['A', 'caseworker'], ['B', 'auditor']]));
    expect(readClaimNames({}).claims.roleValues).toBeUndefined();
    expect(readClaimNames({ OIDC_ROLE_VALUES: 'A=caseworker,A=auditor,no-role,B=Not A Role' }).problems).toEqual([
      'OIDC_ROLE_VALUES names the provider value "A" twice',
      'OIDC_ROLE_VALUES entries must be value=role (a provider value without spaces, commas or \'=\', and a role name such as caseworker), got "no-role"',
      'OIDC_ROLE_VALUES entries must be value=role (a provider value without spaces, commas or \'=\', and a role name such as caseworker), got "B=Not A Role"',
    ]);
    expect(readClaimNames({ OIDC_ROLE_VALUES: ' , ' }).problems).toEqual(['OIDC_ROLE_VALUES is set but names no value=role entry']);
  });

  it('reaches the engine’s and the console’s configuration, and a bad name stops the start', () => {
    const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', TEMPORAL_ADDRESS: '127.0.0.1:7233', OIDC_ISSUER: 'http://127.0.0.1:3100/oidc' };
    expect(loadConfig({ ...base, OIDC_ROLES_CLAIM: 'groups' }).auth.claims.roles).toBe('groups');
    expect(() => loadConfig({ ...base, OIDC_ROLES_CLAIM: 'my groups' })).toThrow(/OIDC_ROLES_CLAIM/);
    const consoleConfig = loadConsoleConfig({ OIDC_ISSUER: 'http://127.0.0.1:3100/oidc', OIDC_NATIONAL_NUMBER_CLAIM: 'rrn' });
    expect(consoleConfig.claims?.nationalNumber).toBe('rrn');
    expect(consoleConfig.clientId).toBe('levensloop-console');
    expect(consoleConfig.scope).toBe('openid profile offline_access');
    expect(loadConsoleConfig({ OIDC_ISSUER: 'http://127.0.0.1:3100/oidc', OIDC_CLIENT_ID: 'console-x', OIDC_SCOPE: 'openid api' })).toMatchObject({ clientId: 'console-x', scope: 'openid api' });
    expect(() => loadConsoleConfig({ OIDC_ISSUER: 'http://127.0.0.1:3100/oidc', OIDC_CLIENT_ID: 'a b' })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => loadConsoleConfig({ OIDC_ISSUER: 'http://127.0.0.1:3100/oidc', OIDC_SCOPE: 'profile' })).toThrow(/OIDC_SCOPE/);
  });
});
