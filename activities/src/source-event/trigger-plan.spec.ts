import type { StoredEvent } from '@levensloop/contracts/workflow';
import type { LifeEventTrigger } from '@levensloop/domain';
import { chooseTrigger, eventIdempotencyKey, eventJourneyId } from './trigger-plan';

const CHILD = '24010112396';
const PARENT = '85073003328';
const birth = (data: Record<string, unknown>): StoredEvent => ({ specversion: '1.0', id: 'e1', source: 'national-register', type: 'birth', data });
const trigger = (extra: Partial<LifeEventTrigger> = {}): LifeEventTrigger => ({ eventType: 'birth', subject: { type: 'person', path: 'child.nationalNumber' }, ...extra });

describe('what a trigger makes of a source event', () => {
  it('starts for the subject at the path, copying the named fields that are there', () => {
    const skipped: Array<{ lifeEvent?: string; reason: string }> = [];
    const choice = chooseTrigger(birth({ child: { nationalNumber: CHILD, birthDate: '2024-01-01' } }), [trigger({ data: { birthDate: 'child.birthDate', missing: 'nowhere' } })], 'citizen', skipped, 'birth');
    expect(choice).toEqual({ start: { subject: { type: 'person', id: CHILD }, data: { birthDate: '2024-01-01' } } });
    expect(skipped).toEqual([]);
  });

  it('skips with every reason when no trigger applies', () => {
    const choice = chooseTrigger(
      birth({ child: { nationalNumber: '123' }, municipality: 'Gent' }),
      [trigger({ condition: { '==': [{ var: 'event.data.municipality' }, 'Brugge'] } }), trigger()],
      'citizen',
      [],
      'birth',
    );
    expect(choice).toEqual({ skip: 'not started: its condition does not hold for this event; data.child.nationalNumber is not a national number ("123")' });
  });

  it('refuses a person trigger for a life event of enterprises', () => {
    expect(chooseTrigger(birth({ child: { nationalNumber: CHILD } }), [trigger()], 'business', [], 'birth')).toEqual({ skip: 'the life event is for enterprises, and the trigger names a person' });
  });

  it('asks mandates for the listed national numbers (not the subject), with the default scope, and says which it leaves out', () => {
    const skipped: Array<{ lifeEvent?: string; reason: string }> = [];
    const choice = chooseTrigger(birth({ child: { nationalNumber: CHILD }, parents: [PARENT, 'nope', CHILD, PARENT] }), [trigger({ mandates: { path: 'parents', kind: 'parent' } })], 'citizen', skipped, 'birth');
    expect(choice).toEqual({ start: { subject: { type: 'person', id: CHILD }, data: {}, mandates: { holders: [PARENT], kind: 'parent', access: 'act', lifeEvents: null } } });
    expect(skipped).toEqual([{ lifeEvent: 'birth', reason: 'some of data.parents are not national numbers: no mandate for them' }]);
  });

  it('derives one journey id and key per life event and event', () => {
    expect(eventJourneyId('birth', 'national-register', 'e1')).toBe(eventJourneyId('birth', 'national-register', 'e1'));
    expect(eventJourneyId('birth', 'national-register', 'e1')).not.toBe(eventJourneyId('birth', 'national-register', 'e2'));
    expect(eventIdempotencyKey('birth', 'national-register', 'e1')).toBe('event:national-register:e1:birth');
    expect(eventIdempotencyKey('birth', 'national-register', 'x'.repeat(300))).toMatch(/^event:sha256:[0-9a-f]{64}$/);
  });
});
