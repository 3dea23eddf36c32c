import { EVENT_TYPES } from '@levensloop/sources';
import { triggerTypeProblems, undeclaredSegment } from './trigger-check';

const birth = { eventType: 'be.national-register.birth.registered', subject: { type: 'person', path: 'child.nationalNumber' }, data: { birthDate: 'child.birthDate' }, mandates: { path: 'parents', kind: 'parent' } };

describe('triggers against the registered event types', () => {
  test('a trigger of a known start type that reads declared paths has no problems', () => {
    expect(triggerTypeProblems([birth], EVENT_TYPES)).toEqual([]);
  });

  test('an unknown type is named with the types that may start a life event', () => {
    const problems = triggerTypeProblems([birth, { ...birth, eventType: 'be.nowhere.thing.happened' }], EVENT_TYPES);
    expect(problems).toEqual([{ path: '/triggers/1/eventType', message: expect.stringContaining("'be.nowhere.thing.happened', which is not a registered event type") }]);
    expect(problems[0].message).toContain('be.enterprise-register.enterprise.registered');
  });

  test('a type that starts nothing (an annulment) is refused', () => {
    expect(triggerTypeProblems([{ ...birth, eventType: 'be.national-register.birth.annulled' }], EVENT_TYPES)).toEqual([
      { path: '/triggers/0/eventType', message: expect.stringContaining("of kind 'annul', which starts nothing") },
    ]);
  });

  test('subject, data and mandate paths the schema does not declare are named with what it declares', () => {
    const problems = triggerTypeProblems([{ ...birth, subject: { type: 'person', path: 'baby.nationalNumber' }, data: { birthDate: 'child.born', 'a/b': 'municipality' }, mandates: { path: 'mothers', kind: 'parent' } }], EVENT_TYPES);
    expect(problems.map((p) => p.path)).toEqual(['/triggers/0/subject/path', '/triggers/0/data/birthDate', '/triggers/0/mandates/path']);
    expect(problems[0].message).toContain("declares no 'baby' in data (it declares child, parents, municipality)");
    expect(problems[1].message).toContain("declares no 'born' in data.child");
  });

  test('below a level that declares no properties any name is accepted', () => {
    expect(undeclaredSegment({ type: 'object', properties: { extra: { type: 'object' } } }, 'extra.anything.deeper')).toBeUndefined();
    expect(undeclaredSegment({ type: 'object' }, 'x')).toBeUndefined();
    expect(undeclaredSegment({ type: 'object', properties: { a: {} } }, 'b')).toEqual({ segment: 'b', at: 'data', declared: ['a'] });
  });

  test('shapes the domain validation refuses are left to it', () => {
    expect(triggerTypeProblems('x', EVENT_TYPES)).toEqual([]);
    expect(triggerTypeProblems([null, { eventType: 5 }], EVENT_TYPES)).toEqual([]);
  });
});
