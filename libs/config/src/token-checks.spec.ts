import { readTokenChecks } from './token-checks';

describe('access-token checks configuration', () => {
  it('defaults to RS256, ES256 and PS256, 5 s of clock skew and 30 s of JWKS cache', () => {
    expect(readTokenChecks({})).toEqual({ checks: { algorithms: ['RS256', 'ES256', 'PS256'], clockToleranceSeconds: 5, jwksMaxAgeSeconds: 30 }, problems: [] });
    expect(readTokenChecks({ OIDC_ALGORITHMS: 'ES384, EdDSA', OIDC_CLOCK_TOLERANCE_SECONDS: '30', OIDC_JWKS_MAX_AGE_SECONDS: '1' }).checks).toEqual({
      algorithms: ['ES384', 'EdDSA'],
      clockToleranceSeconds: 30,
      jwksMaxAgeSeconds: 1,
    });
  });

  it('refuses none and HS* always, unknown algorithms, and more than 30 s of skew', () => {
    expect(readTokenChecks({ OIDC_ALGORITHMS: 'RS256,none,HS256,hs512,RS1', OIDC_CLOCK_TOLERANCE_SECONDS: '31', OIDC_JWKS_MAX_AGE_SECONDS: '0' }).problems).toEqual([
      expect.stringMatching(/^OIDC_ALGORITHMS must not contain none: only asymmetric algorithms/),
      expect.stringMatching(/^OIDC_ALGORITHMS must not contain HS256/),
      expect.stringMatching(/^OIDC_ALGORITHMS must not contain hs512/),
      expect.stringMatching(/^OIDC_ALGORITHMS lists an unknown algorithm RS1/),
      'OIDC_CLOCK_TOLERANCE_SECONDS must be an integer between 0 and 30 (got 31)',
      'OIDC_JWKS_MAX_AGE_SECONDS must be an integer between 1 and 300 (got 0)',
    ]);
  });
});
