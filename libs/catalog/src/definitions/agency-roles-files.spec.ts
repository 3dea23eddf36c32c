import { fileProblems, parseCatalogDocuments, type CatalogDocument } from './files';

const parse = (documents: CatalogDocument[]) => parseCatalogDocuments('/catalog', documents, {});
const step = (extra: Record<string, unknown> = {}) => ({ key: 'register-new-resident', kind: 'caseworker', titles: { nl: 'Inschrijving' }, serviceNorm: { target: 'P5D' }, ...extra });

describe('catalog files and agency roles', () => {
  it('a step declared once for a list of agencies becomes one step per agency', () => {
    const files = parse([{ file: 'steps/municipalities.yaml', kind: 'steps', content: [step({ agencies: ['gent', 'leuven'] })] }]);
    expect(fileProblems(files)).toEqual([]);
    expect(files.steps.map((s) => [s.source, s.value.agency, s.value.key])).toEqual([
      ['steps/municipalities.yaml#/0', 'gent', 'register-new-resident'],
      ['steps/municipalities.yaml#/0', 'leuven', 'register-new-resident'],
    ]);
    expect(files.steps[0].value).not.toHaveProperty('agencies');
  });

  it('refuses agencies next to agency, an empty list, and a step defined twice for one agency', () => {
    const problems = fileProblems(
      parse([
        { file: 'steps/a.yaml', kind: 'steps', content: [step({ agency: 'gent', agencies: ['leuven'] }), step({ key: 'other', agencies: [] })] },
        { file: 'steps/gent.yaml', kind: 'steps', content: [step()] },
        { file: 'steps/b.yaml', kind: 'steps', content: [step({ agencies: ['gent'] })] },
      ]),
    ).map((p) => `${p.path} ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'steps/a.yaml#/0/agencies give agency or agencies, not both',
        'steps/a.yaml#/1/agencies agencies must be a non-empty list of agency codes that offer this step, e.g. [gent, leuven]',
        'steps/b.yaml#/0 step gent/register-new-resident is defined twice (also at steps/gent.yaml#/0); keep one definition',
      ]),
    );
  });

  it('reads what an agency serves, and checks it', () => {
    const files = parse([
      {
        file: 'agencies.yaml',
        kind: 'agencies',
        content: [
          { code: 'gent', names: { nl: 'Gent' }, serves: { municipality: '44021' } },
          { code: 'leuven', names: { nl: 'Leuven' }, serves: { parish: '1' } },
        ],
      },
    ]);
    expect(files.agencies[0].value.serves).toEqual({ municipality: '44021' });
    expect(fileProblems(files).map((p) => p.path)).toEqual(['agencies.yaml#/1/serves/parish']);
  });

  it('a life event names a step by agencyRole with version latest', () => {
    const lifeEvent = (version: unknown) => ({
      key: 'moving',
      audience: 'citizen',
      titles: { nl: 'Verhuizen' },
      nodes: [{ key: 'register', step: { agencyRole: 'municipality', key: 'register-new-resident', version } }],
    });
    expect(fileProblems(parse([{ file: 'life-events/moving.yaml', kind: 'life-events', content: lifeEvent('latest') }]))).toEqual([]);
    expect(fileProblems(parse([{ file: 'life-events/moving.yaml', kind: 'life-events', content: lifeEvent(2) }]))).toEqual([
      { path: 'life-events/moving.yaml#/nodes/0/step/version', message: 'a step named by agencyRole takes the latest version of the agency it is routed to: write version: latest' },
    ]);
  });
});
