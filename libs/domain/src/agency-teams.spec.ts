import { stepTeamProblems, teamRegistrationProblems, unknownTeamMessage } from './agency-teams';

const names = { nl: 'Onthaal', fr: 'Accueil', de: 'Empfang', en: 'Intake' };

describe('registering a team', () => {
  it('takes a team code named in the four languages', () => {
    expect(teamRegistrationProblems({ code: 'intake-ghent', names })).toEqual([]);
  });

  it('says what to fix: the code, and each language missing', () => {
    expect(teamRegistrationProblems({ code: 'Intake', names: { nl: 'Onthaal' } })).toEqual([
      { path: '/code', message: expect.stringMatching(/^the team code "Intake" is not valid/) },
      { path: '/names', message: 'a team is named in the four languages: add fr, de, en' },
    ]);
    expect(teamRegistrationProblems({ code: 'intake' }).map((p) => p.path)).toEqual(['/names']);
    expect(teamRegistrationProblems({ code: 'intake', names: { ...names, en: ' ' } }).map((p) => p.path)).toEqual(['/names/en']);
  });
});

describe("a team of the agency's", () => {
  it('is refused when the agency has teams and not this one, naming those it has', () => {
    expect(unknownTeamMessage('municipality', 'appeals', ['intake', 'population'])).toBe(
      "agency 'municipality' has no team 'appeals': its teams are 'intake', 'population' (register a new one with POST /agencies/municipality/teams)",
    );
    expect(stepTeamProblems('municipality', { team: 'appeals' }, ['intake'])).toEqual([{ path: '/team', message: expect.stringContaining("its teams are 'intake'") }]);
  });

  it('is taken when registered, when no team is named, and anywhere while the agency registered none', () => {
    expect(unknownTeamMessage('municipality', 'intake', ['intake'])).toBeUndefined();
    expect(unknownTeamMessage('municipality', undefined, ['intake'])).toBeUndefined();
    expect(unknownTeamMessage('municipality', 'anything', [])).toBeUndefined();
    expect(stepTeamProblems('municipality', {}, ['intake'])).toEqual([]);
  });
});
