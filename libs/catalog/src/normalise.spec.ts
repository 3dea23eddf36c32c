import type { DecisionRule, LifeEventDefinition, ServiceStepDefinition } from '@levensloop/domain';
import { canonicalJson, normaliseLifeEvent, normaliseStep, sameLifeEvent, sameRule, sameStep } from './normalise';

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

describe('normalised once-only definitions', () => {
  const rule: DecisionRule = {
    id: 'birth-grant',
    version: 1,
    branches: [{ when: { '==': [{ var: 'fields.address-register.region' }, 'flanders'] }, outcome: 'grant', explanation: { nl: 'Ja', en: 'Yes' } }],
    otherwise: { outcome: 'refer', explanation: { nl: 'Misschien' } },
  };
  const requirement = { source: 'address-register', field: 'region', purpose: { nl: 'Waarom' }, legalBasis: { type: 'law' as const, reference: 'Wet, art. 1' } };

  it('keep data requirements and the rule, and drop what is not part of them', () => {
    const messy = { ...step, kind: 'decision', dataRequirements: [{ ...requirement, note: 1, legalBasis: { ...requirement.legalBasis, x: 1 } }], rule: { ...rule, extra: true } };
    expect(normaliseStep(messy as unknown as ServiceStepDefinition)).toEqual({ ...step, kind: 'decision', dataRequirements: [requirement], rule });
    expect(normaliseStep({ ...step, dataRequirements: [] })).toEqual(step);
  });

  it('tell rules apart by content, whatever the key order', () => {
    expect(sameRule(rule, { ...rule, otherwise: { explanation: { nl: 'Misschien' }, outcome: 'refer' } })).toBe(true);
    expect(sameRule(rule, { ...rule, otherwise: { outcome: 'deny', explanation: { nl: 'Misschien' } } })).toBe(false);
    expect(sameStep({ ...step, rule }, { ...step, rule: { ...rule, branches: [{ ...rule.branches[0], outcome: 'deny' }] } })).toBe(false);
  });

  it('keep triggers of a life event', () => {
    const trigger = { eventType: 'be.birth.registered', subject: { type: 'person' as const, path: 'child.id' }, condition: { var: 'event.data.alive' }, data: { birthDate: 'child.birthDate' }, mandates: { path: 'parents', kind: 'parent' } };
    const def: LifeEventDefinition = { key: 'x', audience: 'citizen', titles: { nl: 'X' }, nodes: [], triggers: [{ ...trigger, data: {}, extra: 1 } as never, trigger] };
    expect(normaliseLifeEvent(def).triggers).toEqual([{ eventType: 'be.birth.registered', subject: { type: 'person', path: 'child.id' }, condition: { var: 'event.data.alive' }, mandates: { path: 'parents', kind: 'parent' } }, trigger]);
    expect(sameLifeEvent(def, { ...def, triggers: [] })).toBe(false);
    expect(normaliseLifeEvent({ ...def, triggers: [] })).not.toHaveProperty('triggers');
  });
});
