import { checkEventData, EVENT_TYPES, sourceEventInputOf, type EventTypeSpec } from './event-types';
import { validateEventType } from './event-type-validation';

const moved: EventTypeSpec = {
  type: 'be.address-register.address.changed',
  source: 'address-register',
  kind: 'start',
  subject: { type: 'person', path: 'person.nationalNumber' },
  description: 'change of address',
  schema: {
    type: 'object',
    required: ['person'],
    properties: {
      person: { type: 'object', required: ['nationalNumber'], properties: { nationalNumber: { type: 'string', description: 'a national number' } } },
      municipality: { type: 'string', pattern: '^[0-9]{5}$' },
    },
  },
};

describe('event type definitions', () => {
  it('accepts a valid type, and an annulment of a known start type', () => {
    expect(validateEventType(moved, EVENT_TYPES)).toEqual([]);
    const known = { ...EVENT_TYPES, [moved.type]: moved };
    expect(validateEventType({ ...moved, type: 'be.address-register.address.annulled', kind: 'annul', annuls: moved.type }, known)).toEqual([]);
  });

  it('says what to fix: pattern, source, kind, annuls, schema that does not compile, subject path', () => {
    const paths = (def: Partial<EventTypeSpec> & Record<string, unknown>) => validateEventType({ ...moved, ...def } as EventTypeSpec, EVENT_TYPES).map((p) => p.path);
    expect(paths({ type: 'Moved!' })).toEqual(['/type']);
    expect(paths({ source: 'post-office' })).toEqual(['/source']);
    expect(paths({ kind: 'happened' as never })).toEqual(['/kind']);
    expect(paths({ kind: 'annul', annuls: 'be.national-register.person.changed' })).toEqual(['/annuls']);
    expect(paths({ annuls: 'be.national-register.birth.registered' })).toEqual(['/annuls']);
    expect(paths({ schema: { type: 'object', properties: { a: { type: 'strin' } } } })).toEqual(['/schema', '/subject/path']);
    expect(paths({ schema: { type: 'object', properties: { a: { type: 'string', format: 'postcode' } } } })).toContain('/schema');
    expect(paths({ schema: { type: 'array' } })).toEqual(['/schema/type', '/subject/path']);
    expect(paths({ subject: { type: 'person', path: 'municipality' } })).toEqual(['/subject/path']); // declared, not required
    expect(paths({ subject: { type: 'person', path: 'person..x' } })).toEqual(['/subject/path']);
    expect(paths({ subject: { type: 'thing' as never, path: 'person.nationalNumber' } })).toEqual(['/subject/type']);
  });

  it('checks data against the schema, naming each field once, and the subject as a valid number', () => {
    expect(checkEventData(moved, { person: { nationalNumber: '85073003328' }, municipality: '44021' }, '')).toEqual([]);
    expect(checkEventData(moved, { municipality: 'Gent' }, '/2')).toEqual([
      { path: '/2/data/person', message: 'be.address-register.address.changed needs data.person' },
      { path: '/2/data/municipality', message: 'data.municipality must match pattern "^[0-9]{5}$"' },
    ]);
    expect(checkEventData(moved, { person: { nationalNumber: '85073003329' } }, '')).toEqual([
      { path: '/data/person/nationalNumber', message: expect.stringContaining('must be a national number') },
    ]);
  });

  it('gives the workflow the same input for the built-in types as before they became data', () => {
    expect(sourceEventInputOf('national-register', 'e', 'be.national-register.birth.registered')).toEqual({
      source: 'national-register',
      eventId: 'e',
      kind: 'start',
      annulledBy: ['be.national-register.birth.annulled'],
    });
    expect(sourceEventInputOf('national-register', 'e', 'be.national-register.person.corrected')).toEqual({ source: 'national-register', eventId: 'e', kind: 'correct', annulledBy: [] });
    expect(sourceEventInputOf('x', 'e', 'be.unknown.type')).toBeUndefined();
  });
});
