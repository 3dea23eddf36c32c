import type { SourceCatalog } from './data-requirements';
import { evidenceSources, validateDocumentEvidence } from './evidence';
import type { ServiceStepDefinition } from './model';
import { validateStepDefinition } from './validation';

const sources: SourceCatalog = {
  'criminal-record': {
    key: 'criminal-record',
    titles: { nl: 'Centraal Strafregister' },
    subjectTypes: ['person'],
    fields: {},
    evidence: { 'certificate-of-good-conduct': { titles: { nl: 'Uittreksel uit het strafregister' }, contentTypes: ['application/pdf'] } },
  },
  'national-register': { key: 'national-register', titles: { nl: 'Rijksregister' }, subjectTypes: ['person'], fields: { birthDate: { type: 'date', titles: { nl: 'Geboortedatum' } } } },
};
const evidence = { source: 'criminal-record', type: 'certificate-of-good-conduct', purpose: { nl: 'Nagaan of u de vergunning mag krijgen' }, legalBasis: { type: 'law', reference: 'Wet van 28 december 1983, art. 2' } };
const doc = { key: 'good-conduct', titles: { nl: 'Uittreksel' }, acceptedTypes: ['application/pdf'], maxBytes: 100_000, evidence };
const step = (over: Partial<ServiceStepDefinition> & Record<string, unknown>): ServiceStepDefinition =>
  ({ agency: 'municipality', key: 'apply', kind: 'citizen', titles: { nl: 'Aanvragen' }, serviceNorm: { target: 'P5D' }, documents: [doc], ...over }) as ServiceStepDefinition;
const purpose = (value: unknown, path: string, found: { path: string; message: string }[]) => {
  if (!value || typeof value !== 'object' || !('nl' in value)) found.push({ path: `${path}/nl`, message: 'nl required' });
};

describe('evidence a document may come from', () => {
  it('a citizen step names the source that delivers it, with why and on what basis', () => {
    expect(validateStepDefinition(step({}), sources)).toEqual([]);
    // Without the catalog only the shape is checked.
    expect(validateStepDefinition(step({}))).toEqual([]);
  });

  it('only on the person’s own request: a caseworker step’s document cannot name a source', () => {
    expect(validateStepDefinition(step({ kind: 'caseworker' }), sources)).toEqual([{ path: '/documents/0/evidence', message: expect.stringMatching(/only a citizen step's document/) }]);
  });

  it('reports an unknown source, a source without documents, an unknown type, a format not accepted, and the purpose and legal basis', () => {
    const problems = validateDocumentEvidence(
      [
        { ...doc, evidence: { source: 'nowhere', type: 'x', purpose: { en: 'no Dutch' }, legalBasis: { type: 'hunch', reference: ' ' }, colour: 'red' } },
        { ...doc, evidence: { ...evidence, source: 'national-register' } },
        { ...doc, evidence: { ...evidence, type: 'diploma' } },
        { ...doc, acceptedTypes: ['image/png'] },
        { ...doc, evidence: 'the criminal record' },
        { ...doc, evidence: { ...evidence, legalBasis: undefined } },
        { key: 'plain', titles: { nl: 'Gewoon' }, acceptedTypes: ['application/pdf'], maxBytes: 10 },
      ],
      'citizen',
      sources,
      purpose,
    );
    expect(problems.map((p) => p.path)).toEqual([
      '/documents/0/evidence/colour',
      '/documents/0/evidence/source',
      '/documents/0/evidence/purpose/nl',
      '/documents/0/evidence/legalBasis/type',
      '/documents/0/evidence/legalBasis/reference',
      '/documents/1/evidence/source',
      '/documents/2/evidence/type',
      '/documents/3/evidence/type',
      '/documents/4/evidence',
      '/documents/5/evidence/legalBasis',
    ]);
    expect(problems[1].message).toBe("unknown source 'nowhere'; the sources that deliver documents are criminal-record");
    expect(problems[5].message).toMatch(/^source 'national-register' delivers no documents/);
    expect(problems[6].message).toBe("source 'criminal-record' delivers no 'diploma'; it delivers certificate-of-good-conduct");
    expect(problems[7].message).toMatch(/delivers 'certificate-of-good-conduct' as application\/pdf, which the document's acceptedTypes do not include/);
  });

  it('lists the sources that deliver documents', () => {
    expect(evidenceSources(sources)).toEqual(['criminal-record']);
  });
});
