import { ProblemException } from '../common/problem';
import { parseFieldList } from './data-access.service';
import { decodeCursor, describeField, encodeCursor, explainLegalBasis, readerLanguage } from './reading';

describe('the reader’s language', () => {
  it('takes ?lang= first, then Accept-Language by weight, then Dutch', () => {
    expect(readerLanguage('fr', 'en')).toBe('fr');
    expect(readerLanguage(undefined, 'de;q=0.5, fr-BE, en;q=0.8')).toBe('fr');
    expect(readerLanguage(undefined, 'es, en;q=0.1')).toBe('en');
    expect(readerLanguage(undefined, 'es, it')).toBe('nl');
    expect(readerLanguage(undefined, 'en;q=0')).toBe('nl');
    expect(readerLanguage(undefined, undefined)).toBe('nl');
  });
});

describe('titles and explanations', () => {
  it('names fields by the source catalog, and keeps unknown ones as they are', () => {
    expect(describeField('national-register', 'address.postalCode', 'fr')).toEqual({
      id: 'national-register/address.postalCode',
      source: 'national-register',
      sourceTitle: 'Registre national',
      field: 'address.postalCode',
      title: 'Code postal',
    });
    expect(describeField('tax', 'income', 'en')).toMatchObject({ sourceTitle: 'tax', title: 'income' });
  });

  it('explains each kind of legal basis with its reference', () => {
    expect(explainLegalBasis({ type: 'consent', reference: 'Toestemming 2026/1' }, 'en').explanation).toMatch(/^You .*consented .*Toestemming 2026\/1.*withdraw/);
    expect(explainLegalBasis(null, 'nl')).toMatchObject({ type: 'none' });
  });
});

describe('field lists and cursors', () => {
  it('accepts source/field lists and names every bad entry', () => {
    expect(parseFieldList('national-register/birthDate, national-register/birthDate,address-register/region')).toEqual(['national-register/birthDate', 'address-register/region']);
    const err = (() => {
      try {
        parseFieldList('birthDate,national-register/ok,/x');
      } catch (e) {
        return e as ProblemException;
      }
    })();
    expect(err).toBeInstanceOf(ProblemException);
    expect((err!.getResponse() as { detail: string }).detail).toMatch(/'birthDate', '\/x'/);
    expect(() => parseFieldList(' , ')).toThrow(ProblemException);
  });

  it('round-trips cursors with microseconds and refuses forged ones', () => {
    const at = '2026-11-24T10:00:00.123456Z';
    expect(decodeCursor(encodeCursor(at, '42'))).toEqual({ at, id: '42' });
    expect(() => decodeCursor('bogus')).toThrow(ProblemException);
    expect(() => decodeCursor(Buffer.from(JSON.stringify({ a: 'x', i: '1' })).toString('base64url'))).toThrow(ProblemException);
  });
});
