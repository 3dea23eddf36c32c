import { DEFAULT_CLAIM_NAMES, readClaimNames } from '@levensloop/config';
import { toPrincipal } from './auth.guard';

describe('the principal from a verified token', () => {
  it('reads today’s claims by default and drops roles the platform does not know', () => {
    expect(toPrincipal({ sub: 'cw-1', roles: ['caseworker', 'wizard'], agency: 'bank', name: 'An' }, DEFAULT_CLAIM_NAMES)).toEqual({
      sub: 'cw-1',
      roles: ['caseworker'],
      agency: 'bank',
      nationalNumber: undefined,
      enterpriseNumber: undefined,
      name: 'An',
      source: undefined,
    });
  });

  it('reads another provider’s claims through the configured names, and ignores today’s names then', () => {
    const { claims } = readClaimNames({
      OIDC_ROLES_CLAIM: 'realm_access.roles',
      OIDC_AGENCY_CLAIM: 'ovo',
      OIDC_NATIONAL_NUMBER_CLAIM: 'rrn',
      OIDC_ENTERPRISE_NUMBER_CLAIM: 'kbo',
    });
    const principal = toPrincipal({ sub: 'x', realm_access: { roles: ['citizen'] }, rrn: '85073003328', kbo: '0123456749', roles: ['auditor'], agency: 'bank', national_number: '1' }, claims);
    expect(principal).toMatchObject({ roles: ['citizen'], nationalNumber: '85073003328', enterpriseNumber: '0123456749', agency: undefined });
    expect(toPrincipal({ sub: 'y', realm_access: { roles: 'caseworker agency-admin' }, ovo: 'OVO000123' }, claims)).toMatchObject({ roles: ['caseworker', 'agency-admin'], agency: 'OVO000123' });
  });

  it("maps the provider's role values through OIDC_ROLE_VALUES, and a value the map does not name grants nothing", () => {
    const { claims, problems } = readClaimNames({ OIDC_ROLES_CLAIM: 'groups', OIDC_ROLE_VALUES: 'LB_Dossierbehandelaar=caseworker, LB_Toezicht=auditor,LB_Behandelaar2=caseworker' });
    expect(problems).toEqual([]);
    expect(toPrincipal({ sub: 'z', groups: ['LB_Dossierbehandelaar', 'LB_Behandelaar2', 'LB_Toezicht', 'caseworker', 'catalog-admin'] }, claims)).toMatchObject({ roles: ['caseworker', 'auditor'] });
    expect(toPrincipal({ sub: 'z', groups: 'catalog-admin' }, claims)).toMatchObject({ roles: [] });
  });
});
