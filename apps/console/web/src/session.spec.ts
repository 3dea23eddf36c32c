import { claimValue, decodeToken, sessionFromClaims } from './session';

const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('the console’s session from a token', () => {
  it('reads today’s claim names by default', () => {
    expect(decodeToken(jwt({ sub: 's', roles: ['citizen'], national_number: '85073003328', name: 'Émile', exp: 10 }))).toMatchObject({
      sub: 's',
      roles: ['citizen'],
      nationalNumber: '85073003328',
      name: 'Émile',
      exp: 10,
    });
  });

  it('reads the configured names, dotted paths and separated role strings included, as the gateway does', () => {
    const names = { roles: 'realm_access.roles', agency: 'https://x.org/ovo', nationalNumber: 'rrn', enterpriseNumber: 'kbo' };
    expect(decodeToken(jwt({ sub: 'a', realm_access: { roles: ['caseworker'] }, 'https://x.org/ovo': 'bank', roles: ['auditor'] }), names)).toMatchObject({ roles: ['caseworker'], agency: 'bank' });
    expect(sessionFromClaims('opaque', { sub: 'b', realm_access: { roles: 'citizen auditor' }, kbo: '0123456749' }, names)).toMatchObject({ token: 'opaque', roles: ['citizen', 'auditor'], enterpriseNumber: '0123456749' });
    expect(claimValue({ a: { b: 1 } }, 'a.c')).toBeUndefined();
  });

  it("maps the provider's role values as the gateway does (OIDC_ROLE_VALUES): unmapped values give no role", () => {
    const names = { roles: 'groups', agency: 'agency', nationalNumber: 'rrn', enterpriseNumber: 'kbo', roleValues: { LB_Dossierbehandelaar: 'caseworker' } };
    expect(sessionFromClaims('t', { sub: 'c', groups: ['LB_Dossierbehandelaar', 'auditor'] }, names)).toMatchObject({ roles: ['caseworker'] });
    expect(sessionFromClaims('t', { sub: 'c', groups: 'constructor toString' }, names)).toMatchObject({ roles: [] });
  });

  it('refuses what is not a JWT', () => {
    expect(() => decodeToken('opaque-token')).toThrow();
  });
});
