import { fieldId, readPath, requirementSubjectProblems, validateDataRequirements, type SourceCatalog } from './data-requirements';
import type { DataRequirement } from './model';
import type { Problem } from './problem';
import { validateStepDefinition, validateTranslations } from './validation';

const sources: SourceCatalog = {
  people: {
    key: 'people',
    titles: { nl: 'Personen' },
    subjectTypes: ['person'],
    fields: { birthDate: { type: 'date', titles: { nl: 'Geboortedatum' } }, 'address.postalCode': { type: 'string', titles: { nl: 'Postcode' } } },
  },
  companies: { key: 'companies', titles: { nl: 'Ondernemingen' }, subjectTypes: ['enterprise'], fields: { name: { type: 'string', titles: { nl: 'Naam' } } } },
};
const req = (over: Partial<Record<keyof DataRequirement, unknown>> = {}) => ({
  source: 'people',
  field: 'birthDate',
  purpose: { nl: 'Leeftijd nagaan', en: 'Check the age' },
  legalBasis: { type: 'law', reference: 'Decreet Groeipakket, art. 8' },
  ...over,
});
const check = (value: unknown, catalog: SourceCatalog | null = sources) => validateDataRequirements(value, catalog ?? undefined, validateTranslations);
const lines = (problems: Problem[]) => problems.map((p) => `${p.path} ${p.message}`);

describe('validateDataRequirements', () => {
  it('accepts known fields with a purpose and a legal basis, and no requirements at all', () => {
    expect(check([req(), req({ field: 'address.postalCode', legalBasis: { type: 'consent', reference: 'Toestemming bij de aanvraag' } })])).toEqual([]);
    expect(check(undefined)).toEqual([]);
    expect(check([])).toEqual([]);
  });

  it('refuses an unknown source or field, naming what exists', () => {
    expect(lines(check([req({ source: 'tax-register' }), req({ field: 'shoeSize' })]))).toEqual([
      "/dataRequirements/0/source unknown source 'tax-register'; known sources: companies, people",
      "/dataRequirements/1/field source 'people' has no field 'shoeSize'; its fields are address.postalCode, birthDate",
    ]);
  });

  it('does not take inherited object keys for sources or fields', () => {
    expect(lines(check([req({ source: 'constructor' }), req({ field: 'constructor' }), req({ source: '__proto__' })]))).toEqual([
      expect.stringMatching(/^\/dataRequirements\/0\/source unknown source 'constructor'/),
      expect.stringMatching(/^\/dataRequirements\/1\/field source 'people' has no field 'constructor'/),
      expect.stringMatching(/^\/dataRequirements\/2\/source unknown source '__proto__'/),
    ]);
  });

  it('checks only the shape without a source catalog', () => {
    expect(check([req({ source: 'anything', field: 'goes' })], null)).toEqual([]);
    expect(lines(check([req({ source: '', field: 3 })], null))).toEqual([expect.stringMatching(/^\/dataRequirements\/0\/source /), expect.stringMatching(/^\/dataRequirements\/0\/field .*got number/)]);
  });

  it('refuses a field declared twice, pointing at the first', () => {
    expect(lines(check([req(), req({ field: 'address.postalCode' }), req({ purpose: { nl: 'Ander doel' } })]))).toEqual([
      "/dataRequirements/2/field 'people/birthDate' is declared twice (also at /dataRequirements/0); declare each field once",
    ]);
  });

  it('requires a legal basis of a known type with a reference', () => {
    const problems = check([req({ legalBasis: undefined }), req({ field: 'address.postalCode', legalBasis: { type: 'custom', reference: '  ' } })]);
    expect(lines(problems)).toEqual([
      expect.stringMatching(/^\/dataRequirements\/0\/legalBasis a legal basis is required: .*law, deliberation, consent/),
      expect.stringMatching(/^\/dataRequirements\/1\/legalBasis\/type the legal basis type must be one of law, deliberation, consent \(got 'custom'\)/),
      expect.stringMatching(/^\/dataRequirements\/1\/legalBasis\/reference /),
    ]);
    expect(lines(check([req({ legalBasis: { type: 'law', reference: 'x'.repeat(501) } })]))).toEqual([expect.stringMatching(/legalBasis\/reference .*at most 500/)]);
  });

  it('requires a purpose in Dutch and refuses other shapes', () => {
    expect(lines(check([req({ purpose: { en: 'Why' } })]))).toEqual(['/dataRequirements/0/purpose/nl a Dutch (nl) title is required']);
    expect(lines(check('birthDate'))).toEqual([expect.stringMatching(/^\/dataRequirements dataRequirements must be a list/)]);
    expect(lines(check([null, 'birthDate']))).toEqual([expect.stringMatching(/^\/dataRequirements\/0 each data requirement is an object/), expect.stringMatching(/^\/dataRequirements\/1 /)]);
    expect(lines(check(Array.from({ length: 101 }, (_, i) => req({ field: `f${i}` })), null))).toEqual([expect.stringMatching(/^\/dataRequirements a step declares at most 100 fields \(got 101\)/)]);
  });
});

describe('data requirements in a step definition', () => {
  const step = { agency: 'agency', key: 'check-age', kind: 'caseworker' as const, titles: { nl: 'Leeftijd nagaan' }, serviceNorm: { target: 'P5D' } };

  it('are checked against the source catalog when one is given', () => {
    expect(validateStepDefinition({ ...step, dataRequirements: [req() as DataRequirement] }, sources)).toEqual([]);
    expect(validateStepDefinition({ ...step, dataRequirements: [req({ field: 'age' }) as DataRequirement] })).toEqual([]);
    expect(lines(validateStepDefinition({ ...step, dataRequirements: [req({ field: 'age' }) as DataRequirement] }, sources))).toEqual([expect.stringMatching(/^\/dataRequirements\/0\/field source 'people' has no field 'age'/)]);
  });

  it('have purposes of up to 500 characters, called texts rather than titles', () => {
    expect(validateStepDefinition({ ...step, dataRequirements: [req({ purpose: { nl: 'x'.repeat(500) } }) as DataRequirement] }, sources)).toEqual([]);
    expect(lines(validateStepDefinition({ ...step, dataRequirements: [req({ purpose: { nl: 'x'.repeat(501) } }) as DataRequirement] }, sources))).toEqual([
      '/dataRequirements/0/purpose/nl the nl text must be a non-empty text of at most 500 characters',
    ]);
    expect(lines(validateStepDefinition({ ...step, dataRequirements: [req({ purpose: { fr: 'Pourquoi' } }) as DataRequirement] }, sources))).toEqual(['/dataRequirements/0/purpose/nl a Dutch (nl) text is required']);
  });
});

describe('requirementSubjectProblems', () => {
  it('says which fields are about another kind of subject', () => {
    const reqs = [req(), req({ source: 'companies', field: 'name' })] as DataRequirement[];
    expect(requirementSubjectProblems(reqs, 'person', sources)).toEqual(["'companies/name' is about an enterprise, not a person"]);
    expect(requirementSubjectProblems(reqs, 'enterprise', sources)).toEqual(["'people/birthDate' is about a person, not an enterprise"]);
    expect(requirementSubjectProblems(undefined, 'person', sources)).toEqual([]);
  });
});

describe('fieldId and readPath', () => {
  it('name a field as source/field and read dotted paths of own keys only', () => {
    expect(fieldId({ source: 'people', field: 'address.postalCode' })).toBe('people/address.postalCode');
    expect(readPath({ address: { postalCode: '9000' } }, 'address.postalCode')).toBe('9000');
    expect(readPath({ address: null }, 'address.postalCode')).toBeUndefined();
    expect(readPath({}, 'constructor')).toBeUndefined();
  });
});
