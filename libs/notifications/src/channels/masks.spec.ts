import { emailChannel } from './email';
import { letterChannel } from './letter';
import { maskPart } from './spec';

describe('masking part of an address', () => {
  it('keeps the asked start and end and stars the middle, one star per character', () => {
    expect(maskPart('abcdef', 2, 2)).toBe('ab**ef');
    expect(maskPart('abcd', 1, 2)).toBe('a*cd');
    expect(maskPart('ab', 1)).toBe('a*');
  });

  it('stars everything when nothing would be left to hide (up to exactly as long as what is kept)', () => {
    expect(maskPart('abc', 1, 2)).toBe('***');
    expect(maskPart('ab', 2)).toBe('**');
    expect(maskPart('a', 1)).toBe('*');
    expect(maskPart('', 0)).toBe('');
  });
});

describe('masking a postal address', () => {
  const mask = (address: unknown) => letterChannel.mask(JSON.stringify(address));

  it('shows the postal code and municipality only, not the street nor the country', () => {
    expect(mask({ street: 'Kerkstraat', houseNumber: '1', postalCode: '9000', municipality: 'Gent', country: 'België' })).toBe('*** 9000 Gent');
    expect(mask({ street: 'Kerkstraat', postalCode: '9000' })).toBe('*** 9000');
    expect(mask({ street: 'Kerkstraat', municipality: 'Gent', country: 'België' })).toBe('*** Gent');
  });

  it('leaves out a postal code or municipality that is not text or is empty', () => {
    expect(mask({ postalCode: 9000, municipality: 'Gent', country: 'België' })).toBe('*** Gent');
    expect(mask({ postalCode: '', municipality: 'Gent', country: 'België' })).toBe('*** Gent');
  });

  it('without them, shows the last line of the address only', () => {
    expect(mask({ lines: ['Postbus 12', 'Brussel X'] })).toBe('*** Brussel X');
    expect(mask({ street: 'Kerkstraat', houseNumber: '1' })).toBe('*** Kerkstraat 1');
  });

  it('shows only stars for nothing usable: no lines, not an object, not JSON', () => {
    expect(mask({})).toBe('***');
    expect(mask([])).toBe('***');
    expect(mask(null)).toBe('***');
    expect(mask('9000 Gent')).toBe('***');
    expect(mask(9000)).toBe('***');
    expect(letterChannel.mask('{"postalCode": "9000"')).toBe('***');
    expect(letterChannel.mask('')).toBe('***');
  });
});

describe('masking an e-mail address', () => {
  it('without a mailbox before the @, masks it all as text', () => {
    expect(emailChannel.mask('@example.be')).toBe('@**********');
  });
});
