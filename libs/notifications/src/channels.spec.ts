import { channelsFor, effectiveContact } from './channels';

describe('the contact to use', () => {
  it('own details before the register’s, an empty own value falling back to the register', () => {
    expect(effectiveContact({ email: '', phone: null, prefilled: { email: 'reg@example.org', phone: '+32470000001', name: 'An', address: { street: 'Reg' } } })).toEqual({
      language: 'nl',
      email: 'reg@example.org',
      phone: '+32470000001',
      postalAddress: { street: 'Reg' },
      name: 'An',
      chosen: undefined,
    });
    expect(effectiveContact({ email: 'own@example.org', phone: '+32470000002', postalAddress: { street: 'Own' }, prefilled: { email: 'reg@example.org', phone: '+32470000001', address: { street: 'Reg' } } })).toMatchObject({
      email: 'own@example.org',
      phone: '+32470000002',
      postalAddress: { street: 'Own' },
    });
  });

  it('nothing known: Dutch, no address, no choice', () => {
    expect(effectiveContact({})).toEqual({ language: 'nl', email: undefined, phone: undefined, postalAddress: undefined, name: undefined, chosen: undefined });
    expect(effectiveContact({ prefilled: null, channels: [] })).toEqual({ language: 'nl', email: undefined, phone: undefined, postalAddress: undefined, name: undefined, chosen: undefined });
  });

  it('a language the engine does not speak falls back to the register’s, then Dutch', () => {
    expect(effectiveContact({ language: 'es', prefilled: { language: 'de' } }).language).toBe('de');
    expect(effectiveContact({ language: null, prefilled: { language: 'en' } }).language).toBe('en');
    expect(effectiveContact({ language: 'es', prefilled: { language: 'es' } }).language).toBe('nl');
  });

  it('a choice of channels is kept as made', () => {
    expect(effectiveContact({ channels: ['sms', 'letter'] }).chosen).toEqual(['sms', 'letter']);
  });
});

describe('the channels of a message', () => {
  const contact = (over: Parameters<typeof effectiveContact>[0]) => effectiveContact(over);

  it('an unknown category asks nothing: no SMS', () => {
    expect(channelsFor('no.such', contact({ email: 'a@example.org', phone: '+32470000001' }))).toEqual(['ecounter', 'email']);
  });

  it('a choice without e-mail keeps e-mail out even when an address is known; without SMS the same for SMS', () => {
    expect(channelsFor('action.needed', contact({ channels: ['ecounter'], email: 'a@example.org', phone: '+32470000001' }))).toEqual(['ecounter', 'letter']);
    expect(channelsFor('action.needed', contact({ channels: ['email'], email: 'a@example.org', phone: '+32470000001' }))).toEqual(['ecounter', 'email']);
  });

  it('a chosen letter comes on top of the digital channels; without a choice, only when nothing digital reaches them', () => {
    expect(channelsFor('decision.made', contact({ channels: ['email', 'letter'], email: 'a@example.org' }))).toEqual(['ecounter', 'email', 'letter']);
    expect(channelsFor('decision.made', contact({ email: 'a@example.org' }))).toEqual(['ecounter', 'email']);
    expect(channelsFor('action.reminder', contact({ phone: '+32470000001' }))).toEqual(['ecounter', 'sms']);
    expect(channelsFor('journey.completed', contact({ phone: '+32470000001' }))).toEqual(['ecounter', 'letter']);
  });
});
