import { evaluateDecision, fieldReferences, fillExplanation, withheldExplanation, inLanguage, nestFields, ruleFieldProblems, validateDecisionRule, type DecisionContext } from './decisions';
import type { DataRequirement, DecisionRule, ServiceStepDefinition } from './model';
import type { Problem } from './problem';
import { validateStepDefinition, validateTranslations } from './validation';

const legalBasis = { type: 'law' as const, reference: 'Decreet Groeipakket, art. 8' };
const requirement = (source: string, field: string): DataRequirement => ({ source, field, purpose: { nl: 'Recht nagaan' }, legalBasis });

const rule: DecisionRule = {
  id: 'birth-allowance',
  version: 1,
  branches: [
    { when: { '==': [{ var: 'fields.address-register.region' }, 'Vlaanderen'] }, outcome: 'grant', explanation: { nl: 'Toegekend: u woont in {fields.address-register.region}.', en: 'Granted: you live in {address-register.region}.' } },
    { when: { '<': [{ var: 'data.amount' }, 0] }, outcome: 'deny', explanation: { nl: 'Geweigerd voor {subject.id}.' } },
    { when: { '==': [1, 1] }, outcome: 'refer', explanation: { nl: 'Altijd waar, maar te laat.' } },
  ],
  otherwise: { outcome: 'refer', explanation: { nl: 'Een medewerker beslist.' } },
};
const context = (over: Partial<DecisionContext> = {}): DecisionContext => ({
  data: { amount: 10 },
  subject: { type: 'person', id: '85073003328' },
  fields: { 'address-register': { region: 'Vlaanderen' } },
  ...over,
});
const validate = (value: unknown) => validateDecisionRule(value, validateTranslations);
const lines = (problems: Problem[]) => problems.map((p) => `${p.path} ${p.message}`);

describe('validateDecisionRule', () => {
  it('accepts a rule with branches and an otherwise', () => {
    expect(validate(rule)).toEqual([]);
  });

  it('refuses conditions that read outside data, subject and fields, or use unknown operators', () => {
    const problems = validate({
      ...rule,
      branches: [
        { when: { '==': [{ var: 'steps.register.status' }, 'completed'] }, outcome: 'grant', explanation: { nl: 'x' } },
        { when: { '==': [{ var: 'subject.name' }, 'x'] }, outcome: 'grant', explanation: { nl: 'x' } },
        { when: { frobnicate: [1] }, outcome: 'grant', explanation: { nl: 'x' } },
        { outcome: 'grant', explanation: { nl: 'x' } },
      ],
    });
    expect(lines(problems)).toEqual([
      "/rule/branches/0/when/==/0/var 'steps.register.status' must start with data., subject., fields.",
      "/rule/branches/1/when/==/0/var 'subject.name': the subject has only subject.type and subject.id",
      expect.stringMatching(/^\/rule\/branches\/2\/when\/frobnicate unknown operator 'frobnicate'/),
      '/rule/branches/3/when a branch needs a condition (when)',
    ]);
  });

  it('refuses unknown outcomes, bad ids and versions, missing explanations and an empty rule', () => {
    const problems = validate({
      id: 'Birth Allowance',
      version: 0,
      branches: [{ when: true, outcome: 'maybe', explanation: { en: 'No Dutch' } }],
      otherwise: { outcome: 'approve' },
    });
    expect(problems.map((p) => p.path)).toEqual(['/rule/id', '/rule/version', '/rule/branches/0/outcome', '/rule/branches/0/explanation/nl', '/rule/otherwise/outcome', '/rule/otherwise/explanation']);
    expect(lines(problems)).toContain('/rule/branches/0/outcome the outcome must be one of grant, deny, refer');
    expect(lines(validate({ ...rule, version: 2 ** 31 }))).toEqual([expect.stringMatching(/^\/rule\/version .*from 1 to 2147483647/)]);
    expect(lines(validate({ ...rule, branches: [], otherwise: undefined }))).toEqual([expect.stringMatching(/^\/rule\/branches a rule needs at least one branch/), expect.stringMatching(/^\/rule\/otherwise /)]);
    expect(lines(validate('if born then pay'))).toEqual([expect.stringMatching(/^\/rule a decision step needs a rule/)]);
    expect(lines(validate({ ...rule, branches: ['grant'] }))).toEqual(['/rule/branches/0 a branch is { "when", "outcome", "explanation" }']);
  });
});

describe('evaluateDecision', () => {
  it('takes the first branch that holds, with its explanation filled in', () => {
    expect(evaluateDecision(rule, context())).toEqual({ outcome: 'grant', branch: 0, explanation: { nl: 'Toegekend: u woont in Vlaanderen.', en: 'Granted: you live in Vlaanderen.' } });
    expect(evaluateDecision(rule, context({ data: { amount: -1 }, fields: {} }))).toEqual({ outcome: 'deny', branch: 1, explanation: { nl: 'Geweigerd voor 85073003328.' } });
    // Branch 2 always holds, but only when 0 and 1 do not.
    expect(evaluateDecision(rule, context({ fields: { 'address-register': { region: 'Brussel' } } })).branch).toBe(2);
  });

  it('falls back to otherwise when no branch holds', () => {
    const onlyFirst = { ...rule, branches: [rule.branches[0]] };
    expect(evaluateDecision(onlyFirst, context({ fields: {} }))).toEqual({ outcome: 'refer', branch: -1, explanation: { nl: 'Een medewerker beslist.' } });
  });

  it('refers a branch that cannot be evaluated to a caseworker, in every language, without trying later branches', () => {
    const broken: DecisionRule = { ...rule, branches: [{ when: { in: ['a', { var: 'data.odd' }] }, outcome: 'grant', explanation: { nl: 'x' } }, ...rule.branches] };
    const result = evaluateDecision(broken, context({ data: { odd: { indexOf: 'not a function' } } }));
    expect(result).toMatchObject({ outcome: 'refer', branch: 0, error: expect.stringMatching(/could not be evaluated/) });
    expect(Object.keys(result.explanation).sort()).toEqual(['de', 'en', 'fr', 'nl']);
    expect(result.explanation.nl).toMatch(/^Een medewerker beslist over uw dossier/);
    // A stored rule that predates a validation rule is refused at evaluation too.
    expect(evaluateDecision({ ...rule, branches: [{ when: { log: 'x' }, outcome: 'grant', explanation: { nl: 'x' } }] }, context())).toMatchObject({ outcome: 'refer', branch: 0, error: expect.stringMatching(/not valid/) });
  });

  it('reads dotted field paths given flat or nested', () => {
    const byPostalCode: DecisionRule = {
      ...rule,
      branches: [{ when: { '==': [{ var: 'fields.national-register.address.postalCode' }, '9000'] }, outcome: 'grant', explanation: { nl: 'Postcode {fields.national-register.address.postalCode}' } }],
    };
    const flat = context({ fields: { 'national-register': { 'address.postalCode': '9000' } } });
    const nested = context({ fields: { 'national-register': { address: { postalCode: '9000' } } } });
    expect(evaluateDecision(byPostalCode, flat)).toEqual({ outcome: 'grant', branch: 0, explanation: { nl: 'Postcode 9000' } });
    expect(evaluateDecision(byPostalCode, nested)).toEqual(evaluateDecision(byPostalCode, flat));
    expect(flat.fields['national-register']).toEqual({ 'address.postalCode': '9000' }); // not changed
  });
});

describe('fillExplanation', () => {
  it('fills data, subject and fields (long and short form); what is missing shows as "?"', () => {
    const texts = { nl: '{data.amount} euro voor {subject.type} {subject.id} in {fields.address-register.region}/{address-register.region}; {data.nope} {nobody.here}', fr: '{data.list}' };
    expect(fillExplanation(texts, context({ data: { amount: 1100, list: [1, 2] } }))).toEqual({ nl: '1100 euro voor person 85073003328 in Vlaanderen/Vlaanderen; ? ?', fr: '[1,2]' });
  });

  it('gives the reader the language they asked for, or Dutch', () => {
    expect(inLanguage({ nl: 'Ja', en: 'Yes' }, 'en')).toBe('Yes');
    expect(inLanguage({ nl: 'Ja', en: 'Yes' }, 'de')).toBe('Ja');
    expect(inLanguage({ nl: 'Ja' }, undefined)).toBe('Ja');
  });
});

describe('nestFields', () => {
  it('nests dotted paths, keeping an object field and its parts together', () => {
    expect(nestFields({ nr: { 'address.postalCode': '9000', address: { municipality: 'Gent' }, birthDate: '2020-01-01', __proto__x: 1 } })).toEqual({
      nr: { address: { municipality: 'Gent', postalCode: '9000' }, birthDate: '2020-01-01', __proto__x: 1 },
    });
    expect(nestFields({ nr: { 'constructor.x': 1 } })).toEqual({ nr: {} });
    expect(nestFields(undefined)).toEqual({});
  });
});

describe('fields a rule reads', () => {
  it('are the fields.… variables outside iterators', () => {
    expect(
      fieldReferences({
        and: [
          { var: 'fields.national-register.birthDate' },
          { missing: ['fields.address-register.region', 'data.x'] },
          { some: [{ var: 'fields.national-register.family.children' }, { '<': [{ var: 'fields.inner' }, 3] }] },
        ],
      }).sort(),
    ).toEqual(['fields.address-register.region', 'fields.national-register.birthDate', 'fields.national-register.family.children']);
  });

  it('must be declared by the step, and placeholders must name something readable', () => {
    const declared = [requirement('national-register', 'address'), requirement('national-register', 'family.householdSize')];
    const reading: DecisionRule = {
      ...rule,
      branches: [
        { when: { '>': [{ var: 'fields.national-register.family.householdSize' }, 2] }, outcome: 'grant', explanation: { nl: '{fields.national-register.address.postalCode} {data.x} {subject.id}' } },
        { when: { '==': [{ var: 'fields.national-register.birthDate' }, null] }, outcome: 'deny', explanation: { nl: '{national-register.birthDate}', en: '{subject.name} {data} {somewhere.else}' } },
        { when: { var: 'fields.national-register' }, outcome: 'refer', explanation: { nl: 'x' } },
      ],
      otherwise: { outcome: 'refer', explanation: { nl: '{fields.address-register.region}' } },
    };
    expect(lines(ruleFieldProblems(reading, declared))).toEqual([
      expect.stringMatching(/^\/rule\/branches\/1\/when the rule reads fields\.national-register\.birthDate, but the step does not declare national-register\/birthDate .*declared: national-register\.address, national-register\.family\.householdSize/),
      expect.stringMatching(/^\/rule\/branches\/1\/explanation\/nl the placeholder \{national-register\.birthDate\} names nothing/),
      expect.stringMatching(/^\/rule\/branches\/1\/explanation\/en the placeholder \{subject\.name\}/),
      expect.stringMatching(/^\/rule\/branches\/1\/explanation\/en the placeholder \{data\}/),
      expect.stringMatching(/^\/rule\/branches\/1\/explanation\/en the placeholder \{somewhere\.else\}/),
      expect.stringMatching(/^\/rule\/branches\/2\/when the rule reads fields\.national-register: read a field/),
      expect.stringMatching(/^\/rule\/otherwise\/explanation\/nl the placeholder \{fields\.address-register\.region\}/),
    ]);
    expect(ruleFieldProblems(rule, [requirement('address-register', 'region')])).toEqual([]);
  });
});

describe('decision steps', () => {
  const step = (over: Partial<ServiceStepDefinition> = {}): ServiceStepDefinition => ({
    agency: 'payments',
    key: 'birth-allowance',
    kind: 'decision',
    titles: { nl: 'Startbedrag' },
    serviceNorm: { target: 'P5D' },
    rule,
    dataRequirements: [requirement('address-register', 'region')],
    ...over,
  });

  it('need a rule over declared fields, and only they may have one', () => {
    expect(validateStepDefinition(step())).toEqual([]);
    expect(lines(validateStepDefinition(step({ dataRequirements: undefined })))).toEqual([expect.stringMatching(/^\/rule\/branches\/0\/when the rule reads fields\.address-register\.region, but the step does not declare/), expect.stringMatching(/^\/rule\/branches\/0\/explanation\/nl /), expect.stringMatching(/^\/rule\/branches\/0\/explanation\/en /)]);
    expect(lines(validateStepDefinition(step({ kind: 'caseworker' })))).toEqual(['/rule only decision steps have a rule; a caseworker step must not have one']);
    expect(lines(validateStepDefinition(step({ endpoint: 'https://x.example' })))).toEqual([expect.stringMatching(/^\/endpoint a decision step is decided by its rule/)]);
  });

  it('have explanations of up to 1000 characters', () => {
    const long = (n: number): DecisionRule => ({ ...rule, otherwise: { outcome: 'refer', explanation: { nl: 'x'.repeat(n) } } });
    expect(validateStepDefinition(step({ rule: long(1000) }))).toEqual([]);
    expect(lines(validateStepDefinition(step({ rule: long(1001) })))).toEqual(['/rule/otherwise/explanation/nl the nl text must be a non-empty text of at most 1000 characters']);
  });
});

describe('withheldExplanation', () => {
  const rule = {
    id: 'r',
    version: 2,
    branches: [{ when: true, outcome: 'grant' as const, explanation: { nl: '{fields.national-register.birthDate} en {data.amount} voor {subject.id}', en: 'born {national-register.birthDate}' } }],
    otherwise: { outcome: 'refer' as const, explanation: { nl: 'geen {data.x}' } },
  };
  test('gives the rule text of the branch with every placeholder withheld', () => {
    expect(withheldExplanation(rule, { ruleId: 'r', ruleVersion: 2, branch: 0 })).toEqual({ nl: '… en … voor …', en: 'born …' });
    expect(withheldExplanation(rule, { ruleId: 'r', ruleVersion: 2, branch: -1 })).toEqual({ nl: 'geen …' });
  });
  test('never quotes an evaluation error, nor a text of another rule version', () => {
    expect(withheldExplanation(rule, { ruleId: 'r', ruleVersion: 2, branch: 0, error: 'value 85073003328 is not a date' }).en).not.toContain('85073003328');
    expect(withheldExplanation(rule, { ruleId: 'r', ruleVersion: 1, branch: 0 }).en).toBe('The explanation names register values you may not see.');
    expect(withheldExplanation(null, { ruleId: 'r', ruleVersion: 2, branch: 0 }).nl).not.toContain('{');
  });
});
