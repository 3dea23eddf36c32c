import type { LifeEventDefinition, ServiceStepDefinition } from './model';
import { validateLifeEvent, validateStepDefinition, validateTriggers, type StepResolver } from './validation';

const step = (over: Record<string, unknown> = {}): ServiceStepDefinition => ({ agency: 'agency', key: 'step-a', kind: 'citizen', titles: { nl: 'Stap' }, serviceNorm: { target: 'P5D' }, ...over });
const retry = (over: Record<string, unknown> = {}) => ({ maximumAttempts: 3, initialInterval: 'PT1S', backoffCoefficient: 2, maximumInterval: 'PT1M', ...over });
const automatic = (over: Record<string, unknown> = {}) => step({ kind: 'automatic', endpoint: 'https://agency.example/api', retry: retry(), ...over });
const published: StepResolver = (ref) => ({ status: 'published', definition: step({ key: ref.key }) });
const node = (key: string, extra: Record<string, unknown> = {}) => ({ key, step: { agency: 'agency', key: 'step-a', version: 1 }, ...extra });
const lifeEvent = (nodes: unknown[], over: Record<string, unknown> = {}) => ({ key: 'life-event', audience: 'citizen', titles: { nl: 'G' }, nodes, ...over }) as LifeEventDefinition;
const paths = (problems: Array<{ path: string }>) => problems.map((p) => p.path);

describe('step bounds', () => {
  it('1 to 100 attempts, a coefficient of exactly 1 allowed, equal intervals allowed', () => {
    expect(validateStepDefinition(automatic({ retry: retry({ maximumAttempts: 1, backoffCoefficient: 1 }) }))).toEqual([]);
    expect(validateStepDefinition(automatic({ retry: retry({ maximumAttempts: 100, initialInterval: 'PT1M' }) }))).toEqual([]);
    expect(paths(validateStepDefinition(automatic({ retry: retry({ maximumAttempts: 0 }) })))).toEqual(['/retry/maximumAttempts']);
    expect(paths(validateStepDefinition(automatic({ retry: retry({ backoffCoefficient: 0.99 }) })))).toEqual(['/retry/backoffCoefficient']);
    expect(paths(validateStepDefinition(automatic({ retry: retry({ backoffCoefficient: '2' }) })))).toEqual(['/retry/backoffCoefficient']);
  });

  it('an automatic step without retry policy is fine; interval problems show once, under /retry', () => {
    expect(validateStepDefinition(automatic({ retry: undefined }))).toEqual([]);
    expect(paths(validateStepDefinition(automatic({ retry: retry({ initialInterval: 'soon', maximumInterval: 'later' }) })))).toEqual(['/retry/initialInterval', '/retry/maximumInterval']);
  });

  it('credentials in the endpoint: a user name alone is refused too', () => {
    expect(validateStepDefinition(automatic({ endpoint: 'https://user@agency.example/x' }))).toEqual([{ path: '/endpoint', message: 'do not put credentials in the endpoint URL; the engine authenticates to agencies by itself' }]);
    expect(validateStepDefinition(automatic({ endpoint: 'https://:secret@agency.example/x' })).map((p) => p.path)).toEqual(['/endpoint']);
    expect(validateStepDefinition(automatic({ endpoint: 42 })).map((p) => p.message)).toEqual(['an automatic step needs the http(s) URL of the agency endpoint, e.g. https://agency.example/api/steps/activate-vat (got number)']);
  });

  it('an unknown kind is not judged on endpoint, outputs or rule', () => {
    expect(paths(validateStepDefinition(step({ kind: 'x', endpoint: 'https://a.example', outputs: 'bad', rule: 'bad' })))).toEqual(['/kind']);
  });

  it('a warning only, or an escalation only, needs no order', () => {
    expect(validateStepDefinition(step({ serviceNorm: { target: 'P5D', warn: 'P9D' } }))).toEqual([]);
    expect(validateStepDefinition(step({ serviceNorm: { target: 'P5D', escalate: 'P1D' } }))).toEqual([]);
    expect(paths(validateStepDefinition(step({ serviceNorm: { target: 'P5D', warn: 'P1D', escalate: 'PT23H' } })))).toEqual(['/serviceNorm/warn']);
  });

  it('a language left undefined is no language; titles of exactly 200 characters are fine', () => {
    expect(validateStepDefinition(step({ titles: { nl: 'x'.repeat(200), fr: undefined } }))).toEqual([]);
    expect(paths(validateStepDefinition(step({ titles: { nl: 'x', en: 5 } })))).toEqual(['/titles/en']);
  });
});

describe('life event bounds', () => {
  it('200 steps are allowed', () => {
    expect(validateLifeEvent(lifeEvent(Array.from({ length: 200 }, (_, i) => node(`n${i}`))), published)).toEqual([]);
  });

  it('a node without a usable key is reported once and left out of the graph', () => {
    expect(validateLifeEvent(lifeEvent([node('a'), { key: 7, step: { agency: 'agency', key: 'step-a', version: 1 } }, node('b', { dependsOn: ['a'] })]), published)).toEqual([
      { path: '/nodes/1/key', message: expect.stringMatching(/^the key number is not valid/) },
    ]);
  });

  it('a dependency listed twice is reported once; an unknown one before it', () => {
    expect(validateLifeEvent(lifeEvent([node('a'), node('b', { dependsOn: ['a', 'a', 'a', 'x'] })]), published)).toEqual([
      { path: '/nodes/1/dependsOn/1', message: "'a' is listed twice in dependsOn" },
      { path: '/nodes/1/dependsOn/2', message: "'a' is listed twice in dependsOn" },
      { path: '/nodes/1/dependsOn/3', message: "depends on unknown step 'x'; use the key of a node of this life event" },
      { path: '/nodes/1', message: "step 'b' is unreachable: it waits on 'x', which does not exist" },
    ]);
  });

  it('a condition reads its ancestors, also indirect ones; a sibling is refused with how to fix it', () => {
    const reads = (key: string) => ({ condition: { '==': [{ var: `steps.${key}.status` }, 'completed'] } });
    expect(validateLifeEvent(lifeEvent([node('a'), node('b', { dependsOn: ['a'] }), node('c', { dependsOn: ['b'], ...reads('a') })]), published)).toEqual([]);
    expect(validateLifeEvent(lifeEvent([node('a'), node('b', { dependsOn: ['a'] }), node('c', { dependsOn: ['a'], ...reads('b') })]), published)).toEqual([
      { path: '/nodes/2/condition', message: "the condition reads steps.b, but 'c' does not depend on 'b' (directly or indirectly), so 'b' may not have run yet; add it to dependsOn or remove the reference" },
    ]);
  });

  it('an unreachable step names the first cause it finds, through every step in between', () => {
    const problems = validateLifeEvent(lifeEvent([node('a', { dependsOn: ['b'] }), node('b', { dependsOn: ['a'] }), node('c', { dependsOn: ['d', 'a'] }), node('d')]), published);
    expect(problems.find((p) => p.path === '/nodes/2')).toEqual({ path: '/nodes/2', message: "step 'c' is unreachable: it waits on 'a', which is in the dependency cycle a → b → a" });
    const self = validateLifeEvent(lifeEvent([node('a', { dependsOn: ['a'] }), node('b', { dependsOn: ['a'] }), node('c', { dependsOn: ['b'] })]), published);
    expect(self.filter((p) => /unreachable/.test(p.message)).map((p) => p.message)).toEqual([
      "step 'b' is unreachable: it waits on 'a', which depends on itself",
      "step 'c' is unreachable: it waits on 'b', which waits on 'a', which depends on itself",
    ]);
  });

  it('draft and retired references say how to fix them differently', () => {
    const status = (s: 'draft' | 'retired'): StepResolver => () => ({ status: s, definition: step() });
    expect(validateLifeEvent(lifeEvent([node('a')]), status('draft'))[0].message).toBe('step agency/step-a version 1 is draft: only published steps can be used; publish it or reference a published version');
    expect(validateLifeEvent(lifeEvent([node('a')]), status('retired'))[0].message).toBe('step agency/step-a version 1 is retired: only published steps can be used; reference a published version');
  });

  it('a step whose definition is missing names the root of the problem', () => {
    const broken: StepResolver = () => ({ status: 'published', definition: null as never });
    expect(validateLifeEvent(lifeEvent([node('a')]), broken)).toEqual([
      { path: '/nodes/0/step', message: 'step agency/step-a version 1 has an invalid duration at /: the step definition is missing; publish a corrected version and reference it' },
    ]);
  });
});

describe('trigger bounds', () => {
  const trigger = (over: Record<string, unknown> = {}) => ({ eventType: 'a.b', subject: { type: 'person', path: 'p' }, ...over });

  it('20 triggers are allowed', () => {
    expect(validateTriggers(Array.from({ length: 20 }, (_, i) => trigger({ eventType: `a.b${i}` })))).toEqual([]);
  });

  it('the same type again after one with a condition is fine; twice without one is not', () => {
    expect(validateTriggers([trigger({ condition: { '==': [1, 1] } }), trigger(), trigger({ condition: { '==': [1, 2] } })])).toEqual([]);
    expect(paths(validateTriggers([trigger(), trigger({ condition: { '==': [1, 1] } }), trigger()]))).toEqual(['/triggers/2/eventType']);
  });

  it('mandates: read or act access, 1 to 50 life-event keys', () => {
    const mandates = (m: Record<string, unknown>) => paths(validateTriggers([trigger({ mandates: { path: 'parents', kind: 'parent', ...m } })]));
    expect(mandates({ access: 'read', lifeEvents: ['birth'] })).toEqual([]);
    expect(mandates({ access: 'act', lifeEvents: Array.from({ length: 50 }, (_, i) => `le-${i}`) })).toEqual([]);
    expect(mandates({ lifeEvents: Array.from({ length: 51 }, (_, i) => `le-${i}`) })).toEqual(['/triggers/0/mandates/lifeEvents']);
    expect(mandates({ lifeEvents: ['Birth'] })).toEqual(['/triggers/0/mandates/lifeEvents']);
    expect(mandates({ lifeEvents: 'birth' })).toEqual(['/triggers/0/mandates/lifeEvents']);
    expect(mandates({ kind: 'p' })).toEqual(['/triggers/0/mandates']);
    expect(mandates({ kind: 'x'.repeat(33) })).toEqual(['/triggers/0/mandates']);
    expect(mandates({ path: 'a..b' })).toEqual(['/triggers/0/mandates']);
  });

  it('the subject’s type must fit only a known audience', () => {
    expect(validateTriggers([trigger({ subject: { type: 'enterprise', path: 'p' } })], 'anyone')).toEqual([]);
    expect(validateTriggers([trigger({ subject: { type: 'enterprise', path: 'p' } })], 'business')).toEqual([]);
    expect(paths(validateTriggers([trigger({ subject: { type: 'robot', path: 'p' } })]))).toEqual(['/triggers/0/subject']);
    expect(paths(validateTriggers([trigger({ subject: { type: 'person', path: 7 } })]))).toEqual(['/triggers/0/subject']);
  });

  it('data names without dots, paths into the event', () => {
    expect(validateTriggers([trigger({ data: { birthDate: 'child.birthDate', 'first-name': 'child.name' } })])).toEqual([]);
  });
});
