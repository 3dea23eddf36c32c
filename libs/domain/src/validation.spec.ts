import { validateLifeEvent, validateStepDefinition, findCycles, topologicalOrder, type StepResolver } from './validation';
import type { LifeEventDefinition, ServiceStepDefinition } from './model';

const step = (over: Partial<ServiceStepDefinition> = {}): ServiceStepDefinition => ({
  agency: 'agency',
  key: 'step-a',
  kind: 'citizen',
  titles: { nl: 'Stap', en: 'Step' },
  serviceNorm: { target: 'P5D', warn: 'P3D', escalate: 'P10D' },
  ...over,
});

const published: StepResolver = (ref) =>
  ref.key === 'missing' ? undefined : { status: ref.key === 'draft' ? 'draft' : 'published', definition: step({ key: ref.key }) };

const lifeEvent = (nodes: LifeEventDefinition['nodes']): LifeEventDefinition => ({ key: 'life-event', audience: 'citizen', titles: { nl: 'Gebeurtenis' }, nodes });
const node = (key: string, dependsOn?: string[], extra: Partial<LifeEventDefinition['nodes'][number]> = {}) => ({
  key,
  step: { agency: 'agency', key: `step-${key}`, version: 1 },
  ...(dependsOn ? { dependsOn } : {}),
  ...extra,
});

describe('validateStepDefinition', () => {
  it('accepts a complete step', () => {
    expect(validateStepDefinition(step())).toEqual([]);
    expect(validateStepDefinition(step({ kind: 'automatic', endpoint: 'https://agency.example/api', retry: { maximumAttempts: 3, initialInterval: 'PT1S', backoffCoefficient: 2, maximumInterval: 'PT1M' } }))).toEqual([]);
  });

  it('reports every problem at once, each at its path', () => {
    const problems = validateStepDefinition(step({ key: 'Bad Key', kind: 'automatic', titles: { en: 'x' } as never, serviceNorm: { target: 'five days', warn: 'P5D', escalate: 'P2D' } }));
    expect(problems.map((p) => p.path).sort()).toEqual(['/endpoint', '/key', '/serviceNorm/target', '/serviceNorm/warn', '/titles/nl']);
  });

  it('refuses negative and empty durations, and an endpoint on a task', () => {
    const problems = validateStepDefinition(step({ endpoint: 'http://x', serviceNorm: { target: 'P-1D', warn: 'PT' } }));
    expect(problems.map((p) => p.path).sort()).toEqual(['/endpoint', '/serviceNorm/target', '/serviceNorm/warn']);
  });

  it('checks the retry policy', () => {
    const problems = validateStepDefinition(step({ kind: 'automatic', endpoint: 'http://x', retry: { maximumAttempts: 0, initialInterval: 'PT1M', backoffCoefficient: 0.5, maximumInterval: 'PT1S' } }));
    expect(problems.map((p) => p.path).sort()).toEqual(['/retry/backoffCoefficient', '/retry/maximumAttempts', '/retry/maximumInterval']);
  });
});

describe('validateLifeEvent', () => {
  it('accepts parallel branches joining again (a diamond)', () => {
    expect(validateLifeEvent(lifeEvent([node('a'), node('b', ['a']), node('c', ['a']), node('d', ['b', 'c'])]), published)).toEqual([]);
  });

  it('reports a cycle with its path and the steps that wait on it as unreachable', () => {
    const problems = validateLifeEvent(lifeEvent([node('a', ['c']), node('b', ['a']), node('c', ['b']), node('d', ['c']), node('e')]), published);
    expect(problems.find((p) => /cycle/.test(p.message))?.message).toMatch(/a → c → b → a|a → b → c → a|c → b → a → c/);
    expect(problems.filter((p) => /unreachable/.test(p.message)).map((p) => p.path)).toEqual(['/nodes/3']);
  });

  it('reports duplicate keys, unknown and unpublished references, unknown dependencies, bad conditions together', () => {
    const problems = validateLifeEvent(
      lifeEvent([
        node('a'),
        node('a'),
        { key: 'b', step: { agency: 'agency', key: 'missing', version: 1 } },
        { key: 'c', step: { agency: 'agency', key: 'draft', version: 1 }, dependsOn: ['nope'] },
        node('d', ['a'], { condition: { frobnicate: [1] } }),
      ]),
      published,
    );
    const text = problems.map((p) => `${p.path} ${p.message}`).join('\n');
    expect(text).toMatch(/\/nodes\/1\/key duplicate step key 'a'/);
    expect(text).toMatch(/\/nodes\/2\/step unknown step agency\/missing/);
    expect(text).toMatch(/\/nodes\/3\/step .* is draft/);
    expect(text).toMatch(/\/nodes\/3\/dependsOn\/0 depends on unknown step 'nope'/);
    expect(text).toMatch(/\/nodes\/4\/condition\/frobnicate unknown operator/);
  });

  it('requires nl titles, a known audience and at least one step', () => {
    const problems = validateLifeEvent({ key: 'Not Valid', audience: 'martians' as never, titles: { fr: 'x' } as never, nodes: [] }, published);
    expect(problems.map((p) => p.path).sort()).toEqual(['/audience', '/key', '/nodes', '/titles/nl']);
  });

  it('refuses a condition that reads a step it does not depend on', () => {
    const problems = validateLifeEvent(lifeEvent([node('a'), node('b'), node('c', ['a'], { condition: { '==': [{ var: 'steps.b.status' }, 'completed'] } })]), published);
    expect(problems).toEqual([{ path: '/nodes/2/condition', message: expect.stringMatching(/steps\.b/) }]);
  });
});

describe('graph helpers', () => {
  it('orders steps topologically', () => {
    const order = topologicalOrder([node('d', ['b', 'c']), node('b', ['a']), node('c', ['a']), node('a')]);
    expect(order[0]).toBe('a');
    expect(order[3]).toBe('d');
  });
  it('finds each cycle once', () => {
    expect(findCycles([node('a', ['b']), node('b', ['a']), node('c', ['c'])])).toHaveLength(1);
  });
});
