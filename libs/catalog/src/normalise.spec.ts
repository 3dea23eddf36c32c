import type { LifeEventDefinition, ServiceStepDefinition } from '@levensloop/domain';
import { canonicalJson, normaliseStep, sameLifeEvent, sameStep } from './normalise';

const step: ServiceStepDefinition = { agency: 'bank', key: 'open-account', kind: 'citizen', titles: { nl: 'Rekening', en: 'Account' }, serviceNorm: { target: 'P14D' } };

describe('normalised definitions', () => {
  it('keep only known fields, in a fixed order', () => {
    const messy = { serviceNorm: { target: 'P14D', extra: 1 }, titles: { en: 'Account', nl: 'Rekening' }, kind: 'citizen', key: 'open-account', agency: 'bank', endpoint: undefined, note: 'x' };
    expect(JSON.stringify(normaliseStep(messy as unknown as ServiceStepDefinition))).toBe(JSON.stringify(step));
  });

  it('compare equal whatever the key order (jsonb reorders keys)', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 3 } })).toBe('{"a":{"c":3,"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(sameStep(step, { ...step, titles: { en: 'Account', nl: 'Rekening' } })).toBe(true);
    expect(sameStep(step, { ...step, serviceNorm: { target: 'P15D' } })).toBe(false);
  });

  it('treat an empty dependsOn and optional: false as absent', () => {
    const a: LifeEventDefinition = { key: 'x', audience: 'citizen', titles: { nl: 'X' }, nodes: [{ key: 'a', step: { agency: 'bank', key: 'open-account', version: 1 } }] };
    const b: LifeEventDefinition = { ...a, nodes: [{ ...a.nodes[0], dependsOn: [], optional: false }] };
    expect(sameLifeEvent(a, b)).toBe(true);
    expect(sameLifeEvent(a, { ...a, nodes: [{ ...a.nodes[0], step: { agency: 'bank', key: 'open-account', version: 2 } }] })).toBe(false);
    expect(sameLifeEvent(a, { ...a, nodes: [{ ...a.nodes[0], condition: { '==': [{ var: 'data.x' }, true] } }] })).toBe(false);
  });
});
