import { fileProblems, parseCatalogDocuments, type CatalogDocument } from './files';

const names = { nl: 'Onthaal', fr: 'Accueil', de: 'Empfang', en: 'Intake' };
const parse = (documents: CatalogDocument[]) => parseCatalogDocuments('/catalog', documents, {});
const messages = (documents: CatalogDocument[]) => fileProblems(parse(documents)).map((p) => `${p.path} ${p.message}`);
const agencies = (teams: unknown): CatalogDocument[] => [{ file: 'agencies.yaml', kind: 'agencies', content: [{ code: 'municipality', names: { nl: 'Gemeente' }, teams }] }];

describe("an agency's teams in agencies.yaml", () => {
  it('are read as the API registers them', () => {
    const files = parse(agencies([{ code: 'intake', names }]));
    expect(fileProblems(files)).toEqual([]);
    expect(files.agencies[0].value.teams).toEqual([{ code: 'intake', names }]);
  });

  it('say what to fix, where: not a list, an unknown field, a bad code, a missing language, a code twice', () => {
    expect(messages(agencies({ code: 'intake' }))).toEqual([expect.stringMatching(/^agencies\.yaml#\/0\/teams teams must be a list/)]);
    expect(messages(agencies([{ code: 'Intake', names: { nl: 'Onthaal' }, colour: 'red' }, { code: 'appeals', names }, { code: 'appeals', names }]))).toEqual([
      "agencies.yaml#/0/teams/0/colour unknown field 'colour'; known fields here: code, names",
      expect.stringMatching(/^agencies\.yaml#\/0\/teams\/0\/code the team code "Intake" is not valid/),
      'agencies.yaml#/0/teams/0/names a team is named in the four languages: add fr, de, en',
      "agencies.yaml#/0/teams/2/code team 'appeals' is listed twice",
    ]);
  });
});
