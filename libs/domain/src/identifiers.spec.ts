import { isEnterpriseNumber, isNationalNumber, valueAt } from './identifiers';

describe('reading a dotted path from event data', () => {
  it('reads nested fields, a whole object on the way, and undefined for a missing step', () => {
    const data = { person: { address: { postalCode: '9000' } } };
    expect(valueAt(data, 'person.address.postalCode')).toBe('9000');
    expect(valueAt(data, 'person.address')).toEqual({ postalCode: '9000' });
    expect(valueAt(data, 'person.name')).toBeUndefined();
    expect(valueAt(data, 'nobody.address')).toBeUndefined();
  });

  it('does not read into a value that is not a plain object: null, text, numbers, lists', () => {
    expect(valueAt({ person: null }, 'person.name')).toBeUndefined();
    expect(valueAt({ name: 'Ann' }, 'name.length')).toBeUndefined();
    expect(valueAt({ count: 3 }, 'count.toFixed')).toBeUndefined();
    expect(valueAt({ children: ['Ann'] }, 'children.0')).toBeUndefined();
    expect(valueAt(['Ann'], '0')).toBeUndefined();
    expect(valueAt(null, 'a')).toBeUndefined();
    expect(valueAt(undefined, 'a')).toBeUndefined();
  });

  it('reads a falsy value that is there as itself', () => {
    expect(valueAt({ a: { b: 0 } }, 'a.b')).toBe(0);
    expect(valueAt({ a: { b: false } }, 'a.b')).toBe(false);
    expect(valueAt({ a: { b: null } }, 'a.b')).toBeNull();
  });
});

describe('Belgian national numbers', () => {
  it('accepts 11 digits whose check is 97 minus the first nine mod 97 (born before 2000)', () => {
    expect(isNationalNumber('85010100115')).toBe(true);
  });

  it('accepts the check computed with a 2 before the first nine (born from 2000 on), and only that one', () => {
    expect(isNationalNumber('01010100126')).toBe(true);
    // The same first nine with the check of the pre-2000 rule is valid too (ambiguous years).
    expect(isNationalNumber('01010100194')).toBe(true);
    expect(isNationalNumber('01010100127')).toBe(false);
  });

  it('refuses a wrong check, the wrong length, other characters and non-text', () => {
    expect(isNationalNumber('85010100116')).toBe(false);
    expect(isNationalNumber('8501010011')).toBe(false);
    expect(isNationalNumber('850101001150')).toBe(false);
    expect(isNationalNumber(' 85010100115')).toBe(false);
    expect(isNationalNumber('85010100115 ')).toBe(false);
    expect(isNationalNumber('85.01.01-001.15')).toBe(false);
    expect(isNationalNumber('8501010011a')).toBe(false);
    expect(isNationalNumber(85010100115)).toBe(false);
    expect(isNationalNumber(undefined)).toBe(false);
  });
});

describe('Belgian enterprise numbers', () => {
  it('accepts 10 digits starting with 0 or 1 whose last two are 97 minus the first eight mod 97', () => {
    expect(isEnterpriseNumber('0403198613')).toBe(true);
    expect(isEnterpriseNumber('1234567894')).toBe(true);
  });

  it('refuses another first digit, a wrong check, the wrong length, other characters and non-text', () => {
    expect(isEnterpriseNumber('2403198655')).toBe(false);
    expect(isEnterpriseNumber('0403198614')).toBe(false);
    expect(isEnterpriseNumber('403198613')).toBe(false);
    expect(isEnterpriseNumber('04031986130')).toBe(false);
    expect(isEnterpriseNumber(' 0403198613')).toBe(false);
    // Ten digits that would pass after a leading space (the space is ignored by Number()).
    expect(isEnterpriseNumber('0000000097')).toBe(true);
    expect(isEnterpriseNumber(' 0000000097')).toBe(false);
    expect(isEnterpriseNumber('0403198613 ')).toBe(false);
    expect(isEnterpriseNumber('BE0403198613')).toBe(false);
    expect(isEnterpriseNumber(403198613)).toBe(false);
  });
});
