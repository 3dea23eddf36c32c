import { addressLines } from './address';

describe('the address block of a letter', () => {
  it('puts street and number on one line, postal code and municipality on the next, then the country', () => {
    expect(addressLines({ street: 'Kerkstraat', houseNumber: '1', postalCode: '9000', municipality: 'Gent', country: 'België' })).toEqual([
      'Kerkstraat 1',
      '9000 Gent',
      'België',
    ]);
  });

  it('leaves out what is not known, without empty lines or stray spaces', () => {
    expect(addressLines({ street: 'Kerkstraat', postalCode: '9000' })).toEqual(['Kerkstraat', '9000']);
    expect(addressLines({ houseNumber: '1', municipality: 'Gent' })).toEqual(['1', 'Gent']);
    expect(addressLines({ street: '', houseNumber: '', municipality: 'Gent' })).toEqual(['Gent']);
    expect(addressLines({})).toEqual([]);
  });

  it('takes a country only as text', () => {
    expect(addressLines({ municipality: 'Gent', country: 32 })).toEqual(['Gent']);
  });

  it('uses a free-form list of lines as given (as text), ignoring the other fields', () => {
    expect(addressLines({ lines: ['Postbus 12', 1000], street: 'Kerkstraat' })).toEqual(['Postbus 12', '1000']);
    expect(addressLines({ lines: [] , street: 'Kerkstraat' })).toEqual([]);
    expect(addressLines({ lines: 'Postbus 12', street: 'Kerkstraat' })).toEqual(['Kerkstraat']);
  });
});
