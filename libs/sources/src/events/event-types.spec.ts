import { annulmentsOf, checkEventData, EVENT_TYPES, isEnterpriseNumber, isNationalNumber, knownTypesOf, valueAt } from './event-types';

describe('event types', () => {
  const birth = EVENT_TYPES['be.national-register.birth.registered'];

  it('knows which source publishes which type, and which annulment voids a registration', () => {
    expect(knownTypesOf('enterprise-register')).toEqual(['be.enterprise-register.enterprise.registered']);
    expect(knownTypesOf('national-register')).toHaveLength(4);
    expect(annulmentsOf('be.national-register.birth.registered')).toEqual(['be.national-register.birth.annulled']);
    expect(annulmentsOf('be.national-register.person.changed')).toEqual([]);
  });

  it('checks national and enterprise numbers with their check digits, for both centuries', () => {
    expect(isNationalNumber('85073003328')).toBe(true); // born 1985
    expect(isNationalNumber('26112400128')).toBe(true); // born 2026: the check counts a 2 in front
    expect(isNationalNumber('26112400134')).toBe(false);
    expect(isNationalNumber('85073003329')).toBe(false);
    expect(isNationalNumber('8507300332')).toBe(false);
    expect(isNationalNumber(85073003328)).toBe(false);
    expect(isEnterpriseNumber('0123456749')).toBe(true);
    expect(isEnterpriseNumber('0123456748')).toBe(false);
    expect(isEnterpriseNumber('2123456749')).toBe(false);
  });

  it('points at every problem in the data, once per missing parent', () => {
    expect(checkEventData(birth, {}, '/3')).toEqual([
      { path: '/3/data/child', message: expect.stringContaining('needs data.child') },
      { path: '/3/data/parents', message: expect.stringContaining('national numbers') },
    ]);
    expect(
      checkEventData(birth, { child: { nationalNumber: '85073003328', birthDate: '2026-02-29', name: 42 }, parents: ['85073003328', 'x'], municipality: '' }, ''),
    ).toEqual([
      { path: '/data/child/birthDate', message: expect.stringContaining('YYYY-MM-DD') },
      { path: '/data/child/name', message: expect.stringContaining('a name') },
      { path: '/data/parents', message: expect.stringContaining('national numbers') },
      { path: '/data/municipality', message: expect.stringContaining('non-empty') },
    ]);
    expect(checkEventData(birth, { child: { nationalNumber: '85073003328', birthDate: '2026-11-24', name: { given: 'A', family: 'B' } }, parents: [], extra: true }, '')).toEqual([]);
  });

  it('reads dotted paths, and nothing through lists or scalars', () => {
    expect(valueAt({ a: { b: { c: 1 } } }, 'a.b.c')).toBe(1);
    expect(valueAt({ a: [{ b: 1 }] }, 'a.0.b')).toBeUndefined();
    expect(valueAt({ a: 'x' }, 'a.length')).toBeUndefined();
  });
});
