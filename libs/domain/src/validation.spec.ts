import type { LifeEventDefinition, LifeEventNode, ServiceStepDefinition } from './model';
import type { SourceCatalog } from './data-requirements';
import { KEY_PATTERN, validateLifeEvent, validateStepDefinition, validateTriggers, type StepResolver } from './validation';

const step = (over: Partial<ServiceStepDefinition> = {}): ServiceStepDefinition => ({
  agency: 'agency',
  key: 'step-a',
  kind: 'citizen',
  titles: { nl: 'Stap', en: 'Step' },
  serviceNorm: { target: 'P5D', warn: 'P3D', escalate: 'P10D' },
  ...over,
});
const automatic = (over: Partial<ServiceStepDefinition> = {}) =>
  step({ kind: 'automatic', endpoint: 'https://agency.example/api', retry: { maximumAttempts: 3, initialInterval: 'PT1S', backoffCoefficient: 2, maximumInterval: 'PT1M' }, ...over });

/** A catalog where step keys 'missing' do not exist, 'draft'/'retired' are unpublished and 'bad-norm' has a broken norm. */
const catalog: StepResolver = (ref) => {
  if (ref.key === 'missing') return undefined;
  const status = ref.key === 'draft' ? 'draft' : ref.key === 'retired' ? 'retired' : 'published';
  return { status, definition: step({ key: ref.key, ...(ref.key === 'bad-norm' ? { serviceNorm: { target: 'P-5D' } } : {}) }) };
};

const lifeEvent = (nodes: LifeEventNode[]): LifeEventDefinition => ({ key: 'life-event', audience: 'citizen', titles: { nl: 'Gebeurtenis' }, nodes });
const node = (key: string, dependsOn?: string[], extra: Partial<LifeEventNode> = {}): LifeEventNode => ({
  key,
  step: { agency: 'agency', key: `step-${key}`, version: 1 },
  ...(dependsOn ? { dependsOn } : {}),
  ...extra,
});
const paths = (problems: Array<{ path: string }>) => problems.map((p) => p.path).sort();
const lines = (problems: Array<{ path: string; message: string }>) => problems.map((p) => `${p.path} ${p.message}`).join('\n');

describe('KEY_PATTERN', () => {
  it('accepts lowercase kebab keys of 2 to 64 characters', () => {
    for (const ok of ['vat', 'activate-vat', 'step-2', 'ab', 'a'.repeat(64)]) expect([ok, KEY_PATTERN.test(ok)]).toEqual([ok, true]);
    for (const bad of ['a', 'a'.repeat(65), 'Vat', 'activate_vat', '-vat', 'vat-', 'a--b', '2fa', 'vat ', 'é-a']) expect([bad, KEY_PATTERN.test(bad)]).toEqual([bad, false]);
  });
});

describe('validateStepDefinition', () => {
  it('accepts complete task and automatic steps', () => {
    expect(validateStepDefinition(step())).toEqual([]);
    expect(validateStepDefinition(step({ serviceNorm: { target: 'P1D' } }))).toEqual([]);
    expect(validateStepDefinition(automatic())).toEqual([]);
    expect(validateStepDefinition(automatic({ endpoint: 'http://127.0.0.1:3100/agencies/x', retry: undefined }))).toEqual([]);
  });

  it('reports every problem at once, each at its path', () => {
    const problems = validateStepDefinition(step({ key: 'Bad Key', kind: 'automatic', titles: { en: 'x' } as never, serviceNorm: { target: 'five days', warn: 'P5D', escalate: 'P2D' } }));
    expect(paths(problems)).toEqual(['/endpoint', '/key', '/serviceNorm/target', '/serviceNorm/warn', '/titles/nl']);
    expect(lines(problems)).toMatch(/\/serviceNorm\/warn the warning \(P5D\) must come before the escalation \(P2D\)/);
    expect(lines(problems)).toMatch(/\/serviceNorm\/target 'five days' is not a positive ISO-8601 duration/);
  });

  it('refuses negative and empty durations, and a warning equal to the escalation', () => {
    expect(paths(validateStepDefinition(step({ serviceNorm: { target: 'P-1D', warn: 'PT', escalate: 'P' } })))).toEqual(['/serviceNorm/escalate', '/serviceNorm/target', '/serviceNorm/warn']);
    expect(paths(validateStepDefinition(step({ serviceNorm: { target: 'P1D', warn: 'P2D', escalate: 'PT48H' } })))).toEqual(['/serviceNorm/warn']);
    expect(paths(validateStepDefinition(step({ serviceNorm: undefined as never })))).toEqual(['/serviceNorm']);
  });

  it('needs an http(s) endpoint for automatic steps and none for tasks', () => {
    expect(paths(validateStepDefinition(automatic({ endpoint: 'ftp://agency.example' })))).toEqual(['/endpoint']);
    expect(paths(validateStepDefinition(automatic({ endpoint: 'not a url' })))).toEqual(['/endpoint']);
    expect(lines(validateStepDefinition(automatic({ endpoint: 'https://user:secret@agency.example' })))).toMatch(/credentials/);
    expect(lines(validateStepDefinition(step({ kind: 'caseworker', endpoint: 'http://x.example' })))).toMatch(/\/endpoint a caseworker step is a task/);
  });

  it('checks kind, titles and languages', () => {
    expect(paths(validateStepDefinition(step({ kind: 'ruling' as never })))).toEqual(['/kind']);
    expect(paths(validateStepDefinition(step({ kind: 'decision' })))).toEqual(['/rule']);
    expect(paths(validateStepDefinition(step({ titles: { nl: '   ', xx: 'y' } as never })))).toEqual(['/titles/nl', '/titles/xx']);
    expect(paths(validateStepDefinition(step({ titles: 'Titel' as never })))).toEqual(['/titles']);
  });

  it('checks the retry policy', () => {
    const problems = validateStepDefinition(automatic({ retry: { maximumAttempts: 0, initialInterval: 'PT1M', backoffCoefficient: 0.5, maximumInterval: 'PT1S' } }));
    expect(paths(problems)).toEqual(['/retry/backoffCoefficient', '/retry/maximumAttempts', '/retry/maximumInterval']);
    expect(paths(validateStepDefinition(automatic({ retry: { maximumAttempts: 2.5, initialInterval: 'soon', backoffCoefficient: 1, maximumInterval: 'PT1M' } })))).toEqual(['/retry/initialInterval', '/retry/maximumAttempts']);
    expect(paths(validateStepDefinition(automatic({ retry: { maximumAttempts: 101, initialInterval: 'PT1S', backoffCoefficient: 1, maximumInterval: 'PT1S' } })))).toEqual(['/retry/maximumAttempts']);
    expect(paths(validateStepDefinition(step({ retry: automatic().retry })))).toEqual(['/retry']);
    expect(paths(validateStepDefinition(automatic({ retry: null as never })))).toEqual(['/retry']);
  });

  it('never throws on untyped input', () => {
    expect(paths(validateStepDefinition({ key: 42, kind: ['automatic'], titles: 'Titel', serviceNorm: 'P1D' } as never))).toEqual(['/key', '/kind', '/serviceNorm', '/titles']);
    expect(validateStepDefinition(null as never)).toEqual([{ path: '', message: expect.stringMatching(/object/) }]);
  });
});

describe('validateLifeEvent', () => {
  it('accepts parallel branches joining again (a diamond) with a condition on an ancestor', () => {
    const def = lifeEvent([node('a'), node('b', ['a']), node('c', ['a'], { condition: { '==': [{ var: 'steps.a.status' }, 'completed'] }, optional: true }), node('d', ['b', 'c'])]);
    expect(validateLifeEvent(def, catalog)).toEqual([]);
  });

  it('reports a cycle with its path and the steps waiting on it as unreachable', () => {
    const problems = validateLifeEvent(lifeEvent([node('a', ['c']), node('b', ['a']), node('c', ['b']), node('d', ['c']), node('e', ['d']), node('f')]), catalog);
    expect(problems).toEqual([
      { path: '/nodes/0/dependsOn', message: expect.stringMatching(/^dependency cycle: a → c → b → a /) },
      { path: '/nodes/3', message: expect.stringMatching(/'d' is unreachable: it waits on 'c', which is in the dependency cycle a → c → b → a/) },
      { path: '/nodes/4', message: expect.stringMatching(/'e' is unreachable: it waits on 'd', which waits on 'c'/) },
    ]);
  });

  it('reports each group of mutually dependent steps once', () => {
    const problems = validateLifeEvent(lifeEvent([node('a', ['b', 'c']), node('b', ['a']), node('c', ['a'])]), catalog);
    expect(problems.filter((p) => /cycle/.test(p.message))).toHaveLength(1);
    expect(problems.filter((p) => /unreachable/.test(p.message))).toEqual([]);
  });

  it('reports a self-dependency and what waits on it', () => {
    const problems = validateLifeEvent(lifeEvent([node('a', ['a']), node('b', ['a'])]), catalog);
    expect(problems).toEqual([
      { path: '/nodes/0/dependsOn/0', message: "step 'a' cannot depend on itself" },
      { path: '/nodes/1', message: expect.stringMatching(/'b' is unreachable: it waits on 'a', which depends on itself/) },
    ]);
  });

  it('reports an unknown dependency, and the steps after it as unreachable', () => {
    const problems = validateLifeEvent(lifeEvent([node('a', ['nope']), node('b', ['a'])]), catalog);
    expect(problems).toEqual([
      { path: '/nodes/0/dependsOn/0', message: expect.stringMatching(/unknown step 'nope'/) },
      { path: '/nodes/0', message: expect.stringMatching(/'a' is unreachable: it waits on 'nope', which does not exist/) },
      { path: '/nodes/1', message: expect.stringMatching(/'b' is unreachable: it waits on 'a', which waits on 'nope'/) },
    ]);
  });

  it('reports unknown, unpublished and badly defined step references', () => {
    const problems = validateLifeEvent(
      lifeEvent([
        { key: 'a', step: { agency: 'agency', key: 'missing', version: 1 } },
        { key: 'b', step: { agency: 'agency', key: 'draft', version: 2 } },
        { key: 'c', step: { agency: 'agency', key: 'retired', version: 1 } },
        { key: 'd', step: { agency: 'agency', key: 'bad-norm', version: 1 } },
        { key: 'e', step: { agency: 'agency', key: 'x' } as never },
      ]),
      catalog,
    );
    expect(lines(problems).split('\n')).toEqual([
      expect.stringMatching(/^\/nodes\/0\/step unknown step agency\/missing version 1/),
      expect.stringMatching(/^\/nodes\/1\/step step agency\/draft version 2 is draft: only published steps/),
      expect.stringMatching(/^\/nodes\/2\/step step agency\/retired version 1 is retired/),
      expect.stringMatching(/^\/nodes\/3\/step step agency\/bad-norm version 1 has an invalid duration at \/serviceNorm\/target/),
      expect.stringMatching(/^\/nodes\/4\/step step must reference/),
    ]);
  });

  it('reports unparsable conditions and conditions reading steps that may not have run', () => {
    const problems = validateLifeEvent(
      lifeEvent([
        node('a'),
        node('b'),
        node('c', ['a'], { condition: { '==': [{ var: 'steps.b.status' }, 'completed'] } }),
        node('d', ['a'], { condition: { frobnicate: [1] } }),
        node('e', ['a'], { condition: { '==': [{ var: 'steps.zz.status' }, 'completed'] } }),
        node('f', ['c'], { condition: { '==': [{ var: 'steps.a.outcome.result' }, 'approved'] } }),
      ]),
      catalog,
    );
    expect(problems).toEqual([
      { path: '/nodes/3/condition/frobnicate', message: expect.stringMatching(/unknown operator 'frobnicate'/) },
      { path: '/nodes/2/condition', message: expect.stringMatching(/reads steps\.b, but 'c' does not depend on 'b'/) },
      { path: '/nodes/4/condition', message: expect.stringMatching(/no step 'zz'/) },
    ]);
  });

  it('requires a valid key, a known audience, an nl title and at least one step', () => {
    const problems = validateLifeEvent({ key: 'Not Valid', audience: 'martians' as never, titles: { fr: 'x' } as never, nodes: [] }, catalog);
    expect(paths(problems)).toEqual(['/audience', '/key', '/nodes', '/titles/nl']);
    expect(paths(validateLifeEvent({ ...lifeEvent([]), nodes: undefined as never }, catalog))).toEqual(['/nodes']);
  });

  it('lists every problem together in one pass', () => {
    const problems = validateLifeEvent(
      {
        key: 'x',
        audience: 'citizen',
        titles: { en: 'Broken' } as never,
        nodes: [
          node('a', ['c']),
          node('b', ['a']),
          node('c', ['b']),
          { key: 'd', step: { agency: 'agency', key: 'missing', version: 1 } },
          { key: 'e', step: { agency: 'agency', key: 'draft', version: 1 }, condition: { frobnicate: [1, 2] } },
          node('e'),
          node('f', ['nope', 'a']),
          { key: 'G', step: { agency: 'agency', key: 'bad-norm', version: 1 }, optional: 'yes' as never },
        ],
      },
      catalog,
    );
    expect(paths(problems)).toEqual([
      '/key',
      '/nodes/0/dependsOn', // the cycle
      '/nodes/3/step', // unknown step
      '/nodes/4/condition/frobnicate',
      '/nodes/4/step', // draft
      '/nodes/5/key', // duplicate
      '/nodes/6', // unreachable
      '/nodes/6/dependsOn/0', // unknown dependency
      '/nodes/7/key', // not kebab case
      '/nodes/7/optional',
      '/nodes/7/step', // invalid duration
      '/titles/nl',
    ]);
    expect(lines(problems)).toMatch(/duplicate step key 'e' \(also used at \/nodes\/4\)/);
  });

  it('never throws on untyped input', () => {
    const problems = validateLifeEvent(lifeEvent([null as never, { key: 'a', step: null, dependsOn: 'b' } as never]), catalog);
    expect(paths(problems)).toEqual(['/nodes/0', '/nodes/1/dependsOn', '/nodes/1/step']);
    expect(validateLifeEvent(undefined as never, catalog)).toHaveLength(1);
  });
});

describe('validateTriggers', () => {
  const birth = { eventType: 'be.national-register.birth.registered', subject: { type: 'person', path: 'child.nationalNumber' } };

  it('accepts source events with a subject path, a condition over the event, data and mandates', () => {
    expect(
      validateTriggers(
        [{ ...birth, condition: { '==': [{ var: 'event.data.child.bornAlive' }, true] }, data: { birthDate: 'child.birthDate', 'birth_place': 'place' }, mandates: { path: 'parents', kind: 'parent' } }],
        'citizen',
      ),
    ).toEqual([]);
    expect(validateTriggers(undefined)).toEqual([]);
  });

  it('refuses event types that are not reverse-DNS CloudEvents types, and one event starting the life event twice', () => {
    const problems = validateTriggers([{ ...birth, eventType: 'Birth Registered' }, { ...birth, eventType: 'birth' }, birth, birth, { ...birth, condition: { '==': [1, 1] } }]);
    expect(lines(problems).split('\n')).toEqual([
      expect.stringMatching(/^\/triggers\/0\/eventType eventType must be a CloudEvents type .*got 'Birth Registered'/),
      expect.stringMatching(/^\/triggers\/1\/eventType /),
      "/triggers/3/eventType 'be.national-register.birth.registered' already starts this life event (trigger 2) without a condition",
    ]);
  });

  it('needs a subject of a known type at a dotted path, matching the audience', () => {
    const bad = [{ type: 'person', path: 'child..nationalNumber' }, { type: 'company', path: 'x' }, 'child'].map((subject, i) => ({ ...birth, eventType: `be.source.event-${i}`, subject }));
    expect(paths(validateTriggers(bad))).toEqual([
      '/triggers/0/subject',
      '/triggers/1/subject',
      '/triggers/2/subject',
    ]);
    expect(lines(validateTriggers([birth], 'business'))).toBe("/triggers/0/subject/type a business life event runs for an enterprise, so its trigger's subject must be 'enterprise' (got 'person')");
    expect(paths(validateTriggers([{ ...birth, subject: { type: 'enterprise', path: 'enterpriseNumber' } }], 'citizen'))).toEqual(['/triggers/0/subject/type']);
    expect(validateTriggers([{ ...birth, subject: { type: 'enterprise', path: 'enterpriseNumber' } }], 'business')).toEqual([]);
  });

  it('reads conditions only over the event', () => {
    const problems = validateTriggers([{ ...birth, condition: { '==': [{ var: 'data.child.bornAlive' }, true] } }, { ...birth, condition: { '==': [{ var: 'steps.a.status' }, 'completed'] } }]);
    expect(lines(problems).split('\n')).toEqual([
      "/triggers/0/condition/==/0/var 'data.child.bornAlive' must start with event.",
      "/triggers/1/condition/==/0/var 'steps.a.status' must start with event.",
    ]);
  });

  it('checks data names and paths (pointer-escaped), and mandates that fit their column', () => {
    const problems = validateTriggers([{ ...birth, data: { 'a/b': 'child.birthDate', ok: 'child..x', fine: 3 }, mandates: { path: 'parents', kind: 'p'.repeat(33) } }]);
    expect(paths(problems)).toEqual(['/triggers/0/data/a~1b', '/triggers/0/data/fine', '/triggers/0/data/ok', '/triggers/0/mandates']);
    expect(paths(validateTriggers([{ ...birth, data: ['birthDate'], mandates: { path: 'parents' } }]))).toEqual(['/triggers/0/data', '/triggers/0/mandates']);
    expect(validateTriggers([{ ...birth, mandates: { path: 'parents', kind: 'p'.repeat(32) } }])).toEqual([]);
  });

  it('takes a mandate scope: read or act, and the life events it covers', () => {
    expect(validateTriggers([{ ...birth, mandates: { path: 'parents', kind: 'guardian', access: 'read', lifeEvents: ['birth-of-a-child'] } }])).toEqual([]);
    const problems = validateTriggers([{ ...birth, mandates: { path: 'parents', kind: 'parent', access: 'write', lifeEvents: ['Not A Key'] } }, { ...birth, eventType: 'be.x.y', mandates: { path: 'parents', kind: 'parent', lifeEvents: [] } }]);
    expect(paths(problems)).toEqual(['/triggers/0/mandates/access', '/triggers/0/mandates/lifeEvents', '/triggers/1/mandates/lifeEvents']);
  });

  it('refuses other shapes without throwing, and more than 20 triggers', () => {
    expect(paths(validateTriggers('be.birth'))).toEqual(['/triggers']);
    expect(paths(validateTriggers([null, 3]))).toEqual(['/triggers/0', '/triggers/1']);
    expect(paths(validateTriggers(Array.from({ length: 21 }, (_, i) => ({ ...birth, eventType: `be.event-${i}.happened` }))))).toEqual(['/triggers']);
  });

  it('are part of the life event validation, with its audience', () => {
    const def = { ...lifeEvent([node('a')]), audience: 'business' as const, triggers: [birth] as never };
    expect(paths(validateLifeEvent(def, catalog))).toEqual(['/triggers/0/subject/type']);
  });
});

describe('data requirements in a life event', () => {
  const sources: SourceCatalog = {
    people: { key: 'people', titles: { nl: 'Personen' }, subjectTypes: ['person'], fields: { birthDate: { type: 'date', titles: { nl: 'Geboortedatum' } } } },
  };
  const withRequirement: StepResolver = (ref) => ({
    status: 'published',
    definition: step({ key: ref.key, dataRequirements: [{ source: 'people', field: 'birthDate', purpose: { nl: 'Leeftijd' }, legalBasis: { type: 'law', reference: 'Wet, art. 1' } }] }),
  });

  it('must be about the subject the life event serves', () => {
    expect(validateLifeEvent(lifeEvent([node('a')]), withRequirement, sources)).toEqual([]);
    expect(lines(validateLifeEvent({ ...lifeEvent([node('a')]), audience: 'business' }, withRequirement, sources))).toBe(
      "/nodes/0/step this business life event cannot use the step: its data requirement 'people/birthDate' is about a person, not an enterprise",
    );
    expect(validateLifeEvent({ ...lifeEvent([node('a')]), audience: 'business' }, withRequirement)).toEqual([]); // without a source catalog, not checked
  });
});
