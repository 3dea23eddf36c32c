import { ACTIVE_DIGITAL_CHANNELS, CHANNEL_SPECS, CHANNELS, channelSpec, isChannel } from './registry';
import { channelsFor, effectiveContact } from './contact';

describe('the channel registry', () => {
  test('lists every channel once, in the order messages and preferences list them', () => {
    expect(CHANNELS).toEqual(['ecounter', 'email', 'sms', 'letter']);
    expect(new Set(CHANNELS).size).toBe(CHANNELS.length);
    expect(ACTIVE_DIGITAL_CHANNELS).toEqual(['email', 'sms']);
    expect(isChannel('sms')).toBe(true);
    expect(isChannel('fax')).toBe(false);
    expect(isChannel(3)).toBe(false);
    expect(channelSpec('fax')).toBeUndefined();
  });

  test('each channel has a default rate of at least one message and a burst of at least one', () => {
    for (const spec of CHANNEL_SPECS) {
      expect({ key: spec.key, positive: spec.defaultRate.ratePerSecond > 0 && spec.defaultRate.burst >= 1 }).toEqual({ key: spec.key, positive: true });
    }
  });

  test('reachable: the e-counter always; the others only with their address', () => {
    const none = {};
    expect(CHANNEL_SPECS.filter((s) => s.reachable(none)).map((s) => s.key)).toEqual(['ecounter']);
    const all = { email: 'a@example.org', phone: '+32470000000', postalAddress: { street: 'Straat' } };
    expect(CHANNEL_SPECS.filter((s) => s.reachable(all)).map((s) => s.key)).toEqual(CHANNELS);
    expect(channelSpec('sms')!.reachable({ email: 'a@example.org' })).toBe(false);
    expect(channelSpec('email')!.needs).toMatchObject({ field: 'email' });
    expect(channelSpec('sms')!.needs).toMatchObject({ field: 'phone' });
    expect(channelSpec('letter')!.needs).toMatchObject({ field: 'postalAddress' });
    expect(channelSpec('ecounter')!.needs).toBeUndefined();
  });

  test('the address of a delivery: the person id, the e-mail, the phone, the postal address as JSON', () => {
    const contact = effectiveContact({ email: 'an@example.be', phone: '+32470123456', postalAddress: { street: 'Kerkstraat', postalCode: '9000' } });
    expect(channelSpec('ecounter')!.address(contact, '85073003328')).toBe('85073003328');
    expect(channelSpec('email')!.address(contact, 'x')).toBe('an@example.be');
    expect(channelSpec('sms')!.address(contact, 'x')).toBe('+32470123456');
    expect(JSON.parse(channelSpec('letter')!.address(contact, 'x')!)).toEqual({ street: 'Kerkstraat', postalCode: '9000' });
    expect(channelSpec('letter')!.address({}, 'x')).toBeNull();
    expect(channelSpec('email')!.address({}, 'x')).toBeNull();
  });

  test('masks keep enough to recognise an address and no more', () => {
    expect(channelSpec('email')!.mask('an.peeters@example.be')).toBe('a*********@example.be');
    expect(channelSpec('email')!.mask('ab@x.be')).toBe('a***@x.be');
    expect(channelSpec('email')!.mask('no-at-sign')).toBe('n*********');
    expect(channelSpec('sms')!.mask('+32470123456')).toBe('+32*******56');
    expect(channelSpec('sms')!.mask('0470123456')).toBe('********56');
    expect(channelSpec('letter')!.mask(JSON.stringify({ street: 'Kerkstraat', houseNumber: '1', postalCode: '9000', municipality: 'Gent' }))).toBe('*** 9000 Gent');
    expect(channelSpec('letter')!.mask(JSON.stringify({ lines: ['Kerkstraat 1', '9000 Gent'] }))).toBe('*** 9000 Gent');
    expect(channelSpec('letter')!.mask('not json')).toBe('***');
    expect(channelSpec('letter')!.mask('"a string"')).toBe('***');
    expect(channelSpec('ecounter')!.mask('85073003328')).toBe('85073003328');
  });

  test('the rules, asked in registry order, give what channelsFor gives', () => {
    const nothing = effectiveContact({});
    expect(channelsFor('action.needed', nothing)).toEqual(['ecounter', 'letter']);
    const paperOnly = effectiveContact({ channels: ['letter'], email: 'a@example.org', phone: '+32470000000' });
    // A choice without e-mail and SMS: nothing reaches by itself, so the letter; SMS is left out by the choice.
    expect(channelsFor('action.needed', paperOnly)).toEqual(['ecounter', 'letter']);
    const emailChosen = effectiveContact({ channels: ['email'], email: 'a@example.org', phone: '+32470000000' });
    expect(channelsFor('action.needed', emailChosen)).toEqual(['ecounter', 'email']);
    expect(channelsFor('unknown.category', effectiveContact({ phone: '+32470000000' }))).toEqual(['ecounter', 'letter']);
  });
});
