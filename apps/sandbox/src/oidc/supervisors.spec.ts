import { decodeJwt } from 'jose';
import { startSandbox, type RunningSandbox } from '../app';
import { accountClaims, accountFromForm, accountFromId } from './accounts';
import { parseTokenRequest } from './token-request';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

const nameOf = () => undefined;

describe('supervisors and teams in the sandbox issuer', () => {
  it('signs in a supervisor of an agency, listed on the sign-in page per agency', async () => {
    expect(accountClaims(accountFromId('supervisor:municipality', nameOf)!)).toEqual({ roles: ['supervisor'], agency: 'municipality' });
    expect(accountFromId('supervisor:dev', nameOf)).toMatchObject({ role: 'supervisor', agency: 'dev' });
    expect(accountFromForm({ identity: 'other', role: 'supervisor', agency: '' }, nameOf).errors).toEqual(['agency']);
    expect(accountFromForm({ identity: 'other', role: 'supervisor', agency: 'bank' }, nameOf).account).toMatchObject({ role: 'supervisor', agency: 'bank' });
  });

  it('gives development tokens to supervisors (with their agency) and caseworkers with teams', async () => {
    const token = async (body: unknown) => {
      const res = await fetch(`${sandbox.url}/oidc/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { access_token?: string; detail?: string } };
    };
    const supervisor = await token({ role: 'supervisor', agency: 'municipality' });
    expect(decodeJwt(supervisor.body.access_token!)).toMatchObject({ sub: 'supervisor:municipality', roles: ['supervisor'], agency: 'municipality' });
    const member = await token({ role: 'caseworker', agency: 'municipality', teams: ['intake', 'appeals'] });
    expect(decodeJwt(member.body.access_token!)).toMatchObject({ roles: ['caseworker'], teams: ['intake', 'appeals'] });
    const query = await fetch(`${sandbox.url}/oidc/dev-token?role=caseworker&agency=bank&teams=intake,appeals`);
    expect(decodeJwt(((await query.json()) as { access_token: string }).access_token)).toMatchObject({ teams: ['intake', 'appeals'] });
    expect((await token({ role: 'supervisor' })).status).toBe(400);
  });

  it('refuses teams that are not team codes, and teams on other roles', () => {
    expect(parseTokenRequest({ role: 'caseworker', agency: 'bank', teams: ['Intake'] })).toEqual({ ok: false, errors: [expect.stringMatching(/^teams must be a list/)] });
    expect(parseTokenRequest({ role: 'caseworker', agency: 'bank', teams: 'x' })).toEqual({ ok: false, errors: [expect.stringMatching(/^teams must be a list/)] });
    expect(parseTokenRequest({ role: 'supervisor', agency: 'bank', teams: ['intake'] })).toEqual({ ok: false, errors: ['Only a caseworker token carries teams.'] });
  });
});
