/**
 * The exact problems and results of conditions, data requirements and decision rules: each at its
 * JSON pointer, with the message that tells the author what to fix.
 */
import { tryEvaluateCondition, validateCondition } from './conditions';
import { validateDataRequirements, requirementSubjectProblems, type SourceCatalog } from './data-requirements';
import { evaluateDecision, ruleFieldProblems, validateDecisionRule, withheldExplanation } from './decisions';
import type { DataRequirement, DecisionRule } from './model';
import { validateTranslations } from './validation';
const sources: SourceCatalog = {
  'national-register': { key: 'national-register', titles: { nl: 'R' }, subjectTypes: ['person'], fields: { birthDate: { type: 'date', titles: { nl: 'b' } }, 'address.postalCode': { type: 'string', titles: { nl: 'p' } } } },
  'enterprise-register': { key: 'enterprise-register', titles: { nl: 'E' }, subjectTypes: ['enterprise'], fields: { name: { type: 'string', titles: { nl: 'n' } } } },
};
const law = { type: 'law', reference: 'Art. 1' };
const purpose = { nl: 'Waarom' };
const branch = (over: Record<string, unknown> = {}) => ({ when: { '==': [1, 1] }, outcome: 'grant', explanation: { nl: 'Ja' }, ...over });
/** A rule, well formed unless `over` says otherwise (validation takes untrusted JSON). */
const rule = (over: Record<string, unknown> = {}) => ({ id: 'birth-grant', version: 1, branches: [branch()], otherwise: { outcome: 'refer', explanation: { nl: 'Nee' } }, ...over }) as DecisionRule;

describe('condition, data requirement and decision rule messages', () => {
  it("an unknown operator, listing the ones there are", () => {
    expect(validateCondition({ frob: [1] }, '/c')).toEqual([
      { path: "/c/frob", message: "unknown operator 'frob'; use one of: == === != !== ! !! or and if ?: > >= < <= in var missing missing_some + - * / % min max cat substr merge some all none map filter reduce" },
    ]);
  });

  it("too few arguments", () => {
    expect(validateCondition({ '==': [1] }, '/c')).toEqual([
      { path: "/c/==", message: "'==' takes 2 arguments, got 1" },
    ]);
  });

  it("one argument, in the singular", () => {
    expect(validateCondition({ '!': [1, 2] }, '/c')).toEqual([
      { path: "/c/!", message: "'!' takes 1 argument, got 2" },
    ]);
  });

  it("an operation has exactly one operator key", () => {
    expect(validateCondition({ a: 1, b: 2 }, '/c')).toEqual([
      { path: "/c", message: "a JSONLogic operation is an object with exactly one operator key (got 'a', 'b')" },
    ]);
  });

  it("an empty object is no operation", () => {
    expect(validateCondition({}, '/c')).toEqual([
      { path: "/c", message: "a JSONLogic operation is an object with exactly one operator key (got an empty object)" },
    ]);
  });

  it("numbers must be finite", () => {
    expect(validateCondition(Infinity, '/c')).toEqual([
      { path: "/c", message: "numbers must be finite" },
    ]);
  });

  it("only JSON", () => {
    expect(validateCondition(() => 1, '/c')).toEqual([
      { path: "/c", message: "a condition must be JSON (got function)" },
    ]);
  });

  it("var takes a literal path", () => {
    expect(validateCondition({ var: 5 }, '/c')).toEqual([
      { path: "/c/var", message: "var takes a literal dotted path such as \"data.activity.servesAlcohol\" (got number)" },
    ]);
  });

  it("a path starts at data, subject or steps", () => {
    expect(validateCondition({ var: 'x.y' }, '/c')).toEqual([
      { path: "/c/var", message: "'x.y' must start with data., subject. or steps. (the journey's data, its subject, or a step)" },
    ]);
  });

  it("no empty path segments", () => {
    expect(validateCondition({ var: 'data..y' }, '/c')).toEqual([
      { path: "/c/var", message: "'data..y' is not a dotted path: remove the empty segment" },
    ]);
  });

  it("no prototype segments", () => {
    expect(validateCondition({ var: 'data.__proto__' }, '/c')).toEqual([
      { path: "/c/var", message: "'data.__proto__' may not use __proto__, prototype or constructor" },
    ]);
  });

  it("the subject has only its type and id", () => {
    expect(validateCondition({ var: 'subject.name' }, '/c')).toEqual([
      { path: "/c/var", message: "'subject.name': the subject has only subject.type and subject.id" },
    ]);
  });

  it("a step exposes only status and outcome", () => {
    expect(validateCondition({ var: 'steps.a.data' }, '/c')).toEqual([
      { path: "/c/var", message: "'steps.a.data': a step exposes only steps.a.status and steps.a.outcome" },
    ]);
  });

  it("missing_some starts with a count", () => {
    expect(validateCondition({ missing_some: ['x', ['data.a']] }, '/c')).toEqual([
      { path: "/c/missing_some/0", message: "missing_some takes how many fields must be present (a whole number), then a list of paths" },
    ]);
  });

  it("missing takes one path as well as a list", () => {
    expect(validateCondition({ missing: 'data.a' }, '/c')).toEqual([]);
  });

  it("missing takes literal paths", () => {
    expect(validateCondition({ missing: [5] }, '/c')).toEqual([
      { path: "/c/missing/0", message: "missing takes a literal dotted path such as \"data.activity.servesAlcohol\" (got number)" },
    ]);
  });

  it("other roots where the caller names them (triggers read the event)", () => {
    expect(validateCondition({ var: 'x.y' }, '/c', ['event'])).toEqual([
      { path: "/c/var", message: "'x.y' must start with event." },
    ]);
  });

  it("var of null", () => {
    expect(validateCondition({ var: null }, '/c')).toEqual([
      { path: "/c/var", message: "var takes a literal dotted path such as \"data.activity.servesAlcohol\" (got null)" },
    ]);
  });

  it("missing_some then takes a list", () => {
    expect(validateCondition({ missing_some: [1, 'data.a'] }, '/c')).toEqual([
      { path: "/c/missing_some/1", message: "missing_some takes a list of paths such as [\"data.email\", \"data.phone\"]" },
    ]);
  });

  it("'at least' for operators without an upper bound", () => {
    expect(validateCondition({ if: [true] }, '/c')).toEqual([
      { path: "/c/if", message: "'if' takes at least 2 arguments, got 1" },
    ]);
  });

  it("the whole steps object may be read", () => {
    expect(validateCondition({ var: 'steps' }, '/c')).toEqual([]);
  });

  it("the whole data object may be read", () => {
    expect(validateCondition({ var: 'data' }, '/c')).toEqual([]);
  });

  it("an invalid condition evaluates to false with the first problem as the error", () => {
    expect(tryEvaluateCondition({ frob: 1 }, { data: {}, subject: { type: 'person', id: '1' }, steps: {} })).toEqual({
      "value": false,
      "error": "the condition is not valid: /frob: unknown operator 'frob'; use one of: == === != !== ! !! or and if ?: > >= < <= in var missing missing_some + - * / % min max cat substr merge some all none map filter reduce"
    });
  });

  it("in over a number is false, not an error", () => {
    expect(tryEvaluateCondition({ in: [1, { var: 'data.n' }] }, { data: { n: 5 }, subject: { type: 'person', id: '1' }, steps: {} })).toEqual({
      "value": false
    });
  });

  it("a valid condition evaluates on the context", () => {
    expect(tryEvaluateCondition({ var: 'data.n' }, { data: { n: 5 }, subject: { type: 'person', id: '1' }, steps: {} })).toEqual({
      "value": true
    });
  });

  it("data requirements are a list", () => {
    expect(validateDataRequirements('x', sources, validateTranslations)).toEqual([
      { path: "/dataRequirements", message: "dataRequirements must be a list: [{ \"source\", \"field\", \"purpose\": { \"nl\": \"…\" }, \"legalBasis\": { \"type\", \"reference\" } }]" },
    ]);
  });

  it("each an object naming a known source and one of its fields", () => {
    expect(validateDataRequirements([null, { source: 5, field: '', purpose, legalBasis: law }, { source: 'nope', field: 'f', purpose, legalBasis: law }, { source: 'national-register', field: 'nope', purpose, legalBasis: law }], sources, validateTranslations)).toEqual([
      { path: "/dataRequirements/0", message: "each data requirement is an object { source, field, purpose, legalBasis }" },
      { path: "/dataRequirements/1/source", message: "source must be the key of an authentic source (got number)" },
      { path: "/dataRequirements/1/field", message: "field must be a field path of the source, e.g. 'birthDate' (got '')" },
      { path: "/dataRequirements/2/source", message: "unknown source 'nope'; known sources: enterprise-register, national-register" },
      { path: "/dataRequirements/3/field", message: "source 'national-register' has no field 'nope'; its fields are address.postalCode, birthDate" },
    ]);
  });

  it("each field once, with a purpose and a legal basis of a known type and a reference", () => {
    expect(validateDataRequirements([{ source: 'national-register', field: 'birthDate', purpose, legalBasis: law }, { source: 'national-register', field: 'birthDate', purpose: 'x', legalBasis: 'x' }, { source: 'national-register', field: 'address.postalCode', purpose, legalBasis: { type: 'whim', reference: ' ' } }], sources, validateTranslations)).toEqual([
      { path: "/dataRequirements/1/field", message: "'national-register/birthDate' is declared twice (also at /dataRequirements/0); declare each field once" },
      { path: "/dataRequirements/1/purpose", message: "titles must be an object with a title per language, e.g. { \"nl\": \"…\", \"en\": \"…\" } (got 'x')" },
      { path: "/dataRequirements/1/legalBasis", message: "a legal basis is required: { \"type\": one of law, deliberation, consent, \"reference\": \"the law, deliberation or consent text\" }" },
      { path: "/dataRequirements/2/legalBasis/type", message: "the legal basis type must be one of law, deliberation, consent (got 'whim')" },
      { path: "/dataRequirements/2/legalBasis/reference", message: "the legal basis needs a reference a citizen can look up (the law and article, the deliberation number or the consent text), at most 500 characters" },
    ]);
  });

  it("only own keys of the catalog count as sources; a reference of at most 500 characters", () => {
    expect(validateDataRequirements([{ source: 'constructor', field: 'toString', purpose, legalBasis: { type: 'law', reference: 'x'.repeat(501) } }], sources, validateTranslations)).toEqual([
      { path: "/dataRequirements/0/source", message: "unknown source 'constructor'; known sources: enterprise-register, national-register" },
      { path: "/dataRequirements/0/legalBasis/reference", message: "the legal basis needs a reference a citizen can look up (the law and article, the deliberation number or the consent text), at most 500 characters" },
    ]);
  });

  it("at most 100 fields", () => {
    expect(validateDataRequirements(Array.from({ length: 101 }, (_, i) => ({ source: 'national-register', field: `f${i}`, purpose, legalBasis: law })), undefined, validateTranslations).slice(0, 1)).toEqual([
      { path: "/dataRequirements", message: "a step declares at most 100 fields (got 101)" },
    ]);
  });

  it("a requirement read from a register about another kind of subject", () => {
    expect(requirementSubjectProblems([{ source: 'national-register', field: 'birthDate' }, { source: 'enterprise-register', field: 'name' }, { source: 'nope', field: 'x' }] as DataRequirement[], 'enterprise', sources)).toEqual([
      "'national-register/birthDate' is about a person, not an enterprise"
    ]);
  });

  it("a decision step needs a rule", () => {
    expect(validateDecisionRule(null, validateTranslations)).toEqual([
      { path: "/rule", message: "a decision step needs a rule: { \"id\", \"version\", \"branches\": [{ \"when\", \"outcome\", \"explanation\" }], \"otherwise\": { \"outcome\", \"explanation\" } }" },
    ]);
  });

  it("id, version, at least one branch and an otherwise", () => {
    expect(validateDecisionRule({ id: 'A', version: 0, branches: [], otherwise: null }, validateTranslations)).toEqual([
      { path: "/rule/id", message: "the rule id must be 2 to 64 characters of lowercase kebab case, e.g. birth-grant" },
      { path: "/rule/version", message: "the rule version must be a whole number from 1 to 2147483647" },
      { path: "/rule/branches", message: "a rule needs at least one branch: { \"when\": <JSONLogic over data, subject, fields>, \"outcome\": \"grant\", \"explanation\": { \"nl\": \"…\" } }" },
      { path: "/rule/otherwise", message: "a rule needs what happens when no branch holds: { \"outcome\": \"refer\", \"explanation\": { \"nl\": \"…\" } }" },
    ]);
  });

  it("each branch an object with a condition, a known outcome and an explanation", () => {
    expect(validateDecisionRule(rule({ version: 2_147_483_648, branches: [null, branch({ when: undefined, outcome: 'maybe', explanation: 'x' }), branch({ when: { frob: 1 } })], otherwise: { outcome: 'x', explanation: {} } }), validateTranslations)).toEqual([
      { path: "/rule/version", message: "the rule version must be a whole number from 1 to 2147483647" },
      { path: "/rule/branches/0", message: "a branch is { \"when\", \"outcome\", \"explanation\" }" },
      { path: "/rule/branches/1/when", message: "a branch needs a condition (when)" },
      { path: "/rule/branches/1/outcome", message: "the outcome must be one of grant, deny, refer" },
      { path: "/rule/branches/1/explanation", message: "titles must be an object with a title per language, e.g. { \"nl\": \"…\", \"en\": \"…\" } (got 'x')" },
      { path: "/rule/branches/2/when/frob", message: "unknown operator 'frob'; use one of: == === != !== ! !! or and if ?: > >= < <= in var missing missing_some + - * / % min max cat substr merge some all none map filter reduce" },
      { path: "/rule/otherwise/outcome", message: "the outcome must be one of grant, deny, refer" },
      { path: "/rule/otherwise/explanation/nl", message: "a Dutch (nl) title is required" },
    ]);
  });

  it("at most 50 branches", () => {
    expect(validateDecisionRule(rule({ branches: Array.from({ length: 51 }, () => branch()) }), validateTranslations).slice(0, 1)).toEqual([
      { path: "/rule/branches", message: "a rule has at most 50 branches" },
    ]);
  });

  it("branches must be a list", () => {
    expect(validateDecisionRule(rule({ id: 'a', branches: 'x' }), validateTranslations)).toEqual([
      { path: "/rule/id", message: "the rule id must be 2 to 64 characters of lowercase kebab case, e.g. birth-grant" },
      { path: "/rule/branches", message: "a rule needs at least one branch: { \"when\": <JSONLogic over data, subject, fields>, \"outcome\": \"grant\", \"explanation\": { \"nl\": \"…\" } }" },
    ]);
  });

  it("the rule and its explanations read only declared fields", () => {
    expect(ruleFieldProblems(rule({ branches: [branch({ when: { '==': [{ var: 'fields.national-register.birthDate' }, { var: 'fields.other.x' }] }, explanation: { nl: '{fields.national-register.birthDate} {x.y} {data.} {subject.name}', en: '{national-register.address} {fields.national-register}' } })] }), [{ source: 'national-register', field: 'birthDate' }] as DataRequirement[])).toEqual([
      { path: "/rule/branches/0/when", message: "the rule reads fields.other.x, but the step does not declare other/x in dataRequirements (it receives only declared fields; declared: national-register.birthDate)" },
      { path: "/rule/branches/0/explanation/nl", message: "the placeholder {x.y} names nothing the rule can read: use {data.<name>}, {subject.id}, {subject.type} or {fields.<source>.<field>} of a declared field (declared: national-register.birthDate)" },
      { path: "/rule/branches/0/explanation/nl", message: "the placeholder {data.} names nothing the rule can read: use {data.<name>}, {subject.id}, {subject.type} or {fields.<source>.<field>} of a declared field (declared: national-register.birthDate)" },
      { path: "/rule/branches/0/explanation/nl", message: "the placeholder {subject.name} names nothing the rule can read: use {data.<name>}, {subject.id}, {subject.type} or {fields.<source>.<field>} of a declared field (declared: national-register.birthDate)" },
      { path: "/rule/branches/0/explanation/en", message: "the placeholder {national-register.address} names nothing the rule can read: use {data.<name>}, {subject.id}, {subject.type} or {fields.<source>.<field>} of a declared field (declared: national-register.birthDate)" },
      { path: "/rule/branches/0/explanation/en", message: "the placeholder {fields.national-register} names nothing the rule can read: use {data.<name>}, {subject.id}, {subject.type} or {fields.<source>.<field>} of a declared field (declared: national-register.birthDate)" },
    ]);
  });

  it("reading a whole source is refused; data and subject placeholders are fine without fields", () => {
    expect(ruleFieldProblems(rule({ branches: [branch({ when: { var: 'fields.national-register' } })], otherwise: { outcome: 'refer', explanation: { nl: '{data.a} {subject.id} {subject.type}' } } }), undefined)).toEqual([
      { path: "/rule/branches/0/when", message: "the rule reads fields.national-register: read a field, e.g. fields.national-register.birthDate" },
    ]);
  });

  it("a branch that does not hold falls through to otherwise", () => {
    expect(evaluateDecision(rule({ branches: [branch({ when: { in: [1, { var: 'data.n' }] } })] }), { data: { n: 5 }, subject: { type: 'person', id: '1' }, fields: {} } as never)).toEqual({
      "outcome": "refer",
      "branch": -1,
      "explanation": {
        "nl": "Nee"
      }
    });
  });

  it("a rule that failed is explained without its error", () => {
    expect(withheldExplanation(rule(), { ruleId: 'birth-grant', ruleVersion: 1, branch: 0, error: 'boom' })).toEqual({
      "nl": "Een medewerker beslist over uw dossier: de regel kon niet automatisch worden toegepast (…).",
      "fr": "Un collaborateur statuera sur votre dossier : la règle n'a pas pu être appliquée automatiquement (…).",
      "de": "Ein Sachbearbeiter entscheidet über Ihre Akte: Die Regel konnte nicht automatisch angewendet werden (…).",
      "en": "A caseworker will decide on your file: the rule could not be applied automatically (…)."
    });
  });
});
