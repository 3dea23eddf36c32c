import { evaluateDecision, fieldReferences, fillExplanation, nestFields, ruleFieldProblems, withheldExplanation, type DecisionContext } from './decisions';
import type { DataRequirement, DecisionRule, JsonLogic } from './model';

const ctx = (over: Partial<DecisionContext> = {}): DecisionContext => ({ data: {}, subject: { type: 'person', id: '85073003328' }, fields: {}, ...over });
const req = (source: string, field: string) => ({ source, field }) as DataRequirement;
const rule = (explanation: Record<string, string>, when: JsonLogic = true): DecisionRule => ({ id: 'r', version: 1, branches: [{ when, outcome: 'grant', explanation: { nl: 'ja', ...explanation } }], otherwise: { outcome: 'refer', explanation: { nl: 'nee' } } });

describe('filling an explanation', () => {
  it('reads fields long (fields.source.path) and short (source.path), and only from sources that were given', () => {
    const given = ctx({ fields: { nr: { birthDate: '2020-01-01', 'address.postalCode': '9000' } }, data: { nr: 'data' } });
    expect(fillExplanation({ nl: '{fields.nr.birthDate}|{nr.birthDate}|{nr.address.postalCode}|{fields.nr}|{fields.other.x}|{other.x}|{nr}' }, given)).toEqual({ nl: '2020-01-01|2020-01-01|9000|?|?|?|?' });
  });

  it('reads data and subject at any depth; objects as JSON; null, missing and a bare root as "?"; numbers and booleans as text', () => {
    const given = ctx({ data: { a: { b: 2 }, n: null, t: false, z: 0 } });
    expect(fillExplanation({ nl: '{data.a.b} {data.a} {data.n} {data.t} {data.z} {subject.type} {subject} {data}' }, given)).toEqual({ nl: '2 {"b":2} ? false 0 person ? ?' });
  });

  it('only the languages the text has', () => {
    expect(fillExplanation({ nl: 'a', de: 'b {subject.id}' }, ctx())).toEqual({ nl: 'a', de: 'b 85073003328' });
  });
});

describe('the explanation withheld from a reader', () => {
  const r: DecisionRule = { id: 'r', version: 3, branches: [{ when: true, outcome: 'grant', explanation: { nl: 'x {data.a}', fr: 'y {data.a}' } }], otherwise: { outcome: 'deny', explanation: { nl: 'z' } } };
  const withheld = 'De toelichting noemt gegevens uit registers die u niet mag inzien.';

  it('another rule id or version, a branch that is not there, or no rule: the text that says so, in every language', () => {
    expect(withheldExplanation(r, { ruleId: 'other', ruleVersion: 3, branch: 0 })).toEqual({
      nl: withheld,
      fr: "L'explication cite des données de registres que vous ne pouvez pas consulter.",
      de: 'Die Begründung nennt Registerdaten, die Sie nicht einsehen dürfen.',
      en: 'The explanation names register values you may not see.',
    });
    expect(withheldExplanation(r, { ruleId: 'r', ruleVersion: 2, branch: 0 }).nl).toBe(withheld);
    expect(withheldExplanation(r, { ruleId: 'r', ruleVersion: 3, branch: 5 }).nl).toBe(withheld);
    expect(withheldExplanation(undefined, { ruleId: 'r', ruleVersion: 3, branch: 0 }).nl).toBe(withheld);
    expect(withheldExplanation({ ...r, branches: undefined as never }, { ruleId: 'r', ruleVersion: 3, branch: 0 }).nl).toBe(withheld);
    expect(withheldExplanation({ ...r, otherwise: undefined as never }, { ruleId: 'r', ruleVersion: 3, branch: -1 }).nl).toBe(withheld);
  });

  it('the branch’s or the otherwise’s own text with the values left out; an error (even empty) gives the referral', () => {
    expect(withheldExplanation(r, { ruleId: 'r', ruleVersion: 3, branch: 0 })).toEqual({ nl: 'x …', fr: 'y …' });
    expect(withheldExplanation(r, { ruleId: 'r', ruleVersion: 3, branch: -1 })).toEqual({ nl: 'z' });
    expect(withheldExplanation(r, { ruleId: 'r', ruleVersion: 3, branch: 0, error: '' }).en).toBe('A caseworker will decide on your file: the rule could not be applied automatically (…).');
  });
});

describe('a failing branch refers the decision, quoting the error in every language', () => {
  it('gives the referral text with the error', () => {
    const failing: DecisionRule = { id: 'r', version: 1, branches: [{ when: { frob: 1 }, outcome: 'grant', explanation: { nl: 'x' } }], otherwise: { outcome: 'deny', explanation: { nl: 'y' } } };
    const result = evaluateDecision(failing, ctx());
    expect(result.outcome).toBe('refer');
    expect(result.branch).toBe(0);
    const error = result.error!;
    expect(error).toMatch(/^the condition is not valid: \/frob: unknown operator 'frob'/);
    expect(result.explanation).toEqual({
      nl: `Een medewerker beslist over uw dossier: de regel kon niet automatisch worden toegepast (${error}).`,
      fr: `Un collaborateur statuera sur votre dossier : la règle n'a pas pu être appliquée automatiquement (${error}).`,
      de: `Ein Sachbearbeiter entscheidet über Ihre Akte: Die Regel konnte nicht automatisch angewendet werden (${error}).`,
      en: `A caseworker will decide on your file: the rule could not be applied automatically (${error}).`,
    });
  });
});

describe('nesting flat field paths', () => {
  it('skips sources that are no object and paths with empty or prototype segments; does not change what it was given', () => {
    const given = { nr: { 'a.b': 1, a: { c: 2 }, 'x..y': 3, '.z': 4, 'p.prototype': 5, 'q.__proto__.r': 6 }, bad: 'text' as never, list: [1] as never };
    const before = JSON.stringify(given);
    expect(nestFields(given)).toEqual({ nr: { a: { b: 1, c: 2 } } });
    expect(JSON.stringify(given)).toBe(before);
  });

  it('shorter paths first, so a part lands inside its object whatever the order given', () => {
    expect(nestFields({ nr: { 'a.b.c': 1, 'a.b': { d: 2 }, a: { e: 3 } } })).toEqual({ nr: { a: { e: 3, b: { d: 2, c: 1 } } } });
    // A value where an object is needed is replaced by one.
    expect(nestFields({ nr: { a: 5, 'a.b': 1 } })).toEqual({ nr: { a: { b: 1 } } });
  });
});

describe('the fields a condition reads', () => {
  it('the whole fields object too; missing lists given flat or as a list; missing_some’s list; not inside iterators', () => {
    expect(fieldReferences({ var: 'fields' })).toEqual(['fields']);
    expect(fieldReferences({ var: 'fieldsx.a' })).toEqual([]);
    expect(fieldReferences({ missing: 'fields.a.b' })).toEqual(['fields.a.b']);
    expect(fieldReferences({ missing: ['fields.a.b', 'fields.c.d'] }).sort()).toEqual(['fields.a.b', 'fields.c.d']);
    expect(fieldReferences({ missing: [['fields.a.b', 'data.x']] })).toEqual(['fields.a.b']);
    expect(fieldReferences({ missing_some: [1, ['fields.a.b', 'fields.c.d']] }).sort()).toEqual(['fields.a.b', 'fields.c.d']);
    expect(fieldReferences({ missing_some: [1, 'fields.a.b'] })).toEqual([]);
    expect(fieldReferences({ some: [{ var: 'data.l' }, { missing: ['fields.a.b'] }] })).toEqual([]);
    expect(fieldReferences({ var: ['data.x', { var: 'fields.a.b' }] })).toEqual(['fields.a.b']);
    expect(fieldReferences([{ var: 'fields.a.b' }, [{ var: 'fields.c.d' }]]).sort()).toEqual(['fields.a.b', 'fields.c.d']);
  });

  it('stops 64 levels down', () => {
    const deep = (n: number): unknown => (n === 0 ? { var: 'fields.a.b' } : { '!': [deep(n - 1)] });
    expect(fieldReferences(deep(64))).toEqual(['fields.a.b']);
    expect(fieldReferences(deep(65))).toEqual([]);
  });
});

describe('what a rule may read and name', () => {
  const declared = [req('nr', 'address'), req('nr', 'family.size')];

  it('a declared field, a part of it, or an object holding declared fields; nothing else of the source', () => {
    const reads = (name: string) => ruleFieldProblems(rule({}, { var: name }), declared).map((p) => p.message);
    expect(reads('fields.nr.address')).toEqual([]);
    expect(reads('fields.nr.address.postalCode')).toEqual([]);
    expect(reads('fields.nr.family')).toEqual([]);
    expect(reads('fields.nr.family.size')).toEqual([]);
    expect(reads('fields.nr.addressee')).toEqual(['the rule reads fields.nr.addressee, but the step does not declare nr/addressee in dataRequirements (it receives only declared fields; declared: nr.address, nr.family.size)']);
    expect(reads('fields.nr.fam')).toHaveLength(1);
    expect(reads('fields.other.address')).toHaveLength(1);
    expect(reads('fields')).toEqual(['the rule reads fields: read a field, e.g. fields.national-register.birthDate']);
  });

  it('placeholders: data paths without empty parts, subject id and type, declared fields long or short', () => {
    const names = (text: string, decl: DataRequirement[] = declared) => ruleFieldProblems(rule({ nl: text }), decl).map((p) => p.message.split(' names')[0]);
    expect(names('{data.a} {data.a.b} {subject.id} {subject.type} {fields.nr.address} {nr.address.street} {nr.family}')).toEqual([]);
    expect(names('{data.a..b} {subject} {subject.id.x} {fields.nr} {nr} {fields.nr.other} {nr.other} {other.address}')).toEqual([
      'the placeholder {data.a..b}',
      'the placeholder {subject}',
      'the placeholder {subject.id.x}',
      'the placeholder {fields.nr}',
      'the placeholder {nr}',
      'the placeholder {fields.nr.other}',
      'the placeholder {nr.other}',
      'the placeholder {other.address}',
    ]);
    // Declarations of the wrong shape are not declarations; none at all says so.
    expect(ruleFieldProblems(rule({ nl: '{nr.address}' }), [null as never, { source: 'nr' } as never, { field: 'address' } as never])[0].message).toMatch(/\(declared: none\)$/);
    expect(ruleFieldProblems(rule({ nl: '{nr.address}' }), undefined)[0].message).toMatch(/\(declared: none\)$/);
  });

  it('checks every language of every explanation, the otherwise’s too, at its own path', () => {
    const r: DecisionRule = { id: 'r', version: 1, branches: [{ when: true, outcome: 'grant', explanation: { nl: '{x.y}', en: 'ok', fr: '{y.z}' } }], otherwise: { outcome: 'refer', explanation: { nl: '{z.a}', de: 3 as never } } };
    expect(ruleFieldProblems(r, []).map((p) => p.path)).toEqual(['/rule/branches/0/explanation/nl', '/rule/branches/0/explanation/fr', '/rule/otherwise/explanation/nl']);
  });
});
