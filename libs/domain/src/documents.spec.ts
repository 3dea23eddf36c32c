import { missingDocuments, uploadProblem, validateDocumentRequirements, type DocumentRequirement } from './documents';
import { validateStepDefinition } from './validation';
import type { ServiceStepDefinition } from './model';

const proof: DocumentRequirement = { key: 'birth-certificate', titles: { nl: 'Geboorteakte', en: 'Birth certificate' }, acceptedTypes: ['application/pdf'], maxBytes: 1000, required: true };
const step = (over: Partial<ServiceStepDefinition> & Record<string, unknown>): ServiceStepDefinition =>
  ({ agency: 'civil', key: 'give-proof', kind: 'citizen', titles: { nl: 'Bewijs' }, serviceNorm: { target: 'P5D' }, ...over }) as ServiceStepDefinition;

describe('documents a step asks for', () => {
  it('a citizen or caseworker step declares them with the rest of its definition', () => {
    expect(validateStepDefinition(step({ documents: [proof, { ...proof, key: 'photo', required: undefined, acceptedTypes: ['image/jpeg', 'image/png'] }] }))).toEqual([]);
    expect(validateStepDefinition(step({ kind: 'caseworker', documents: [proof] }))).toEqual([]);
  });

  it('only tasks take documents', () => {
    expect(validateStepDefinition(step({ kind: 'decision', documents: [proof] })).filter((p) => p.path === '/documents')).toEqual([
      { path: '/documents', message: expect.stringMatching(/only caseworker and citizen steps ask for documents/) },
    ]);
  });

  it('reports every problem of every declaration at its pointer', () => {
    const problems = validateDocumentRequirements(
      [
        { key: 'Bad Key', titles: { en: 'x' }, acceptedTypes: ['application/x-msdownload'], maxBytes: 0, required: 'yes', colour: 'red' },
        { ...proof },
        { ...proof, acceptedTypes: [], maxBytes: 60 * 1024 * 1024 },
        'a document',
      ],
      'citizen',
      (titles, path, found) => {
        if (!titles || typeof titles !== 'object' || !('nl' in titles)) found.push({ path: `${path}/nl`, message: 'nl required' });
      },
    );
    expect(problems.map((p) => p.path)).toEqual([
      '/documents/0/colour',
      '/documents/0/key',
      '/documents/0/titles/nl',
      '/documents/0/acceptedTypes/0',
      '/documents/0/maxBytes',
      '/documents/0/required',
      '/documents/2/key',
      '/documents/2/acceptedTypes',
      '/documents/2/maxBytes',
      '/documents/3',
    ]);
    expect(problems.find((p) => p.path === '/documents/2/key')!.message).toMatch(/declared twice \(also at \/documents\/1\)/);
    expect(validateDocumentRequirements({}, 'citizen', () => undefined)).toEqual([{ path: '/documents', message: expect.stringMatching(/must be a list/) }]);
    expect(validateDocumentRequirements(new Array(21).fill(proof).map((d, i) => ({ ...d, key: `doc-${i}` })), 'citizen', () => undefined)).toEqual([
      { path: '/documents', message: 'a step asks for at most 20 documents (got 21)' },
    ]);
  });
});

describe('an upload against its requirement', () => {
  it('fits when the content is of an accepted type and within both caps', () => {
    expect(uploadProblem(proof, 'application/pdf', 1000, 5000)).toBeUndefined();
  });

  it('is refused for its content type, whatever its name', () => {
    expect(uploadProblem(proof, 'image/png', 10, 5000)).toMatch(/of type image\/png; 'birth-certificate' takes application\/pdf/);
    expect(uploadProblem(proof, undefined, 10, 5000)).toMatch(/of no type recognised/);
  });

  it('is refused above the smaller of the step cap and the hard cap, and when empty', () => {
    expect(uploadProblem(proof, 'application/pdf', 1001, 5000)).toMatch(/1001 bytes; 'birth-certificate' takes at most 1000 bytes/);
    expect(uploadProblem(proof, 'application/pdf', 600, 500)).toMatch(/at most 500 bytes/);
    expect(uploadProblem(proof, 'application/pdf', 0, 500)).toBe('the file is empty');
  });

  it('names the required documents still missing', () => {
    const photo = { ...proof, key: 'photo', required: false };
    expect(missingDocuments([proof, photo], [])).toEqual(['birth-certificate']);
    expect(missingDocuments([proof, photo], ['birth-certificate'])).toEqual([]);
    expect(missingDocuments(undefined, [])).toEqual([]);
  });
});
