import { referencedSteps, variablesRead } from './conditions';
import { fieldReferences } from './decisions';

describe('variablesRead: what a condition reads before it runs', () => {
  const condition = {
    and: [
      { '==': [{ var: 'steps.register.status' }, 'completed'] },
      { missing: ['data.name', 'fields.register.age'] },
      { missing_some: [1, ['subject.id', 'steps.permit.outcome']] },
      { some: [{ var: 'fields.children' }, { '>': [{ var: 'age' }, 3] }] },
      { var: ['data.nickname', { var: 'data.fallback' }] },
      { var: 42 },
    ],
  };

  it('lists var and missing operands outside iterator scopes, once each, and nothing computed', () => {
    expect(variablesRead(condition).sort()).toEqual(
      ['data.fallback', 'data.name', 'data.nickname', 'fields.children', 'fields.register.age', 'steps.permit.outcome', 'steps.register.status', 'subject.id'].sort(),
    );
    expect(variablesRead({ var: 'a' })).toEqual(['a']);
    expect(variablesRead({ missing: [['a', 'b']] })).toEqual(['a', 'b']);
  });

  it('gives the steps and the fields the engine checks a condition against', () => {
    expect(referencedSteps(condition).sort()).toEqual(['permit', 'register']);
    expect(fieldReferences(condition).sort()).toEqual(['fields.children', 'fields.register.age']);
    expect(referencedSteps({ var: 'steps.' })).toEqual([]);
  });

  it('stops at a depth no real condition reaches', () => {
    let deep: unknown = { var: 'too.deep' };
    for (let i = 0; i < 70; i++) deep = { '!': [deep] };
    expect(variablesRead(deep)).toEqual([]);
  });
});
