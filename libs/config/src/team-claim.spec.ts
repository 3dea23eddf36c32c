import { DEFAULT_CLAIM_NAMES } from './claims';
import { loadConfig } from './config';
import { readTeamsClaim, teamsOf } from './team-claim';

describe("the teams claim (a caseworker's team queues)", () => {
  it('is `teams` by default, another name by OIDC_TEAMS_CLAIM, and must be a claim of its own', () => {
    expect(readTeamsClaim({}, DEFAULT_CLAIM_NAMES)).toEqual({ name: 'teams', problems: [] });
    expect(readTeamsClaim({ OIDC_TEAMS_CLAIM: 'groups.teams' }, DEFAULT_CLAIM_NAMES)).toEqual({ name: 'groups.teams', problems: [] });
    expect(readTeamsClaim({ OIDC_TEAMS_CLAIM: 'my teams' }, DEFAULT_CLAIM_NAMES).problems).toEqual([expect.stringMatching(/^OIDC_TEAMS_CLAIM must be a claim name/)]);
    expect(readTeamsClaim({ OIDC_TEAMS_CLAIM: 'agency' }, DEFAULT_CLAIM_NAMES).problems).toEqual([expect.stringMatching(/claim of its own/)]);
    const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', TEMPORAL_ADDRESS: '127.0.0.1:7233', OIDC_ISSUER: 'http://127.0.0.1:3100/oidc' };
    expect(loadConfig({ ...base, OIDC_TEAMS_CLAIM: 'units' }).auth.teamsClaim).toBe('units');
    expect(() => loadConfig({ ...base, OIDC_TEAMS_CLAIM: 'roles' })).toThrow(/OIDC_TEAMS_CLAIM/);
  });

  it('reads a list or a separated string, keeps team codes only, once each', () => {
    expect(teamsOf({ teams: ['intake', 'appeals', 'intake', 'Bad', 3] }, 'teams')).toEqual(['intake', 'appeals']);
    expect(teamsOf({ org: { units: 'intake, appeals' } }, 'org.units')).toEqual(['intake', 'appeals']);
    expect(teamsOf({}, 'teams')).toEqual([]);
  });
});
