import { createHmac } from 'node:crypto';
import { ProblemException } from '../common/problem';
import {
  decodeUuidCursor,
  encodeUuidCursor,
  maskAddress,
  parseSmsReport,
  preferencesView,
  reportOutcome,
  unreachableChannels,
  verifySmsSignature,
  type ContactPreferencesRow,
} from './notification-helpers';

const sign = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('maskAddress', () => {
  test('an e-mail keeps its first letter and domain', () => {
    expect(maskAddress('email', 'an.peeters@example.be')).toBe('a*********@example.be');
    expect(maskAddress('email', 'a@x.be')).toBe('a***@x.be');
  });

  test('a phone keeps the country code and the last two digits', () => {
    expect(maskAddress('sms', '+32470123456')).toBe('+32*******56');
  });

  test('a letter shows the postal code and municipality, never the street', () => {
    const masked = maskAddress('letter', JSON.stringify({ street: 'Kerkstraat', houseNumber: '12', postalCode: '9000', municipality: 'Gent' }));
    expect(masked).toBe('*** 9000 Gent');
    expect(masked).not.toContain('Kerkstraat');
    expect(maskAddress('letter', JSON.stringify({ lines: ['Rue Haute 1', '1000 Bruxelles'] }))).toBe('*** 1000 Bruxelles');
    expect(maskAddress('letter', 'not json')).toBe('***');
  });

  test('the e-counter address is the person id; nothing is nothing', () => {
    expect(maskAddress('ecounter', '85073003328')).toBe('85073003328');
    expect(maskAddress('email', null)).toBeNull();
  });
});

describe('uuid keyset cursors', () => {
  test('round trip', () => {
    const c = encodeUuidCursor('2026-11-22T10:00:00.123456Z', '5f0c5b8e-8a39-4c55-9a44-0d6f1f2b3c4d', 7);
    expect(decodeUuidCursor(c)).toEqual({ at: '2026-11-22T10:00:00.123456Z', seq: 7, id: '5f0c5b8e-8a39-4c55-9a44-0d6f1f2b3c4d' });
    expect(decodeUuidCursor(encodeUuidCursor('2026-11-22T10:00:00Z', '5f0c5b8e-8a39-4c55-9a44-0d6f1f2b3c4d')).seq).toBe(0);
  });

  test('anything else is a 400 problem', () => {
    for (const bad of ['x', Buffer.from(JSON.stringify({ a: 'yesterday', u: 'x' })).toString('base64url'), Buffer.from(JSON.stringify({ a: '2026-01-01', u: '1' })).toString('base64url'), encodeUuidCursor('2026-01-01', '5f0c5b8e-8a39-4c55-9a44-0d6f1f2b3c4d', 1.5)]) {
      expect(() => decodeUuidCursor(bad)).toThrow(ProblemException);
    }
  });
});

describe('SMS delivery reports', () => {
  const body = JSON.stringify({ id: 'sms-000001', reference: '5f0c5b8e-8a39-4c55-9a44-0d6f1f2b3c4d', status: 'delivered', at: '2026-11-22T10:00:00.000Z' });

  test('the signature is the HMAC of the raw body with the shared secret', () => {
    expect(verifySmsSignature(Buffer.from(body), sign(body, 's3cret'), 's3cret')).toBe(true);
    expect(verifySmsSignature(Buffer.from(body), sign(body, 's3cret').toUpperCase().replace('SHA256=', 'sha256='), 's3cret')).toBe(true);
  });

  test('another secret, another body, a malformed or missing header: refused', () => {
    expect(verifySmsSignature(Buffer.from(body), sign(body, 'other'), 's3cret')).toBe(false);
    expect(verifySmsSignature(Buffer.from(body.replace('delivered', 'failed')), sign(body, 's3cret'), 's3cret')).toBe(false);
    expect(verifySmsSignature(Buffer.from(body), 'sha256=abc', 's3cret')).toBe(false);
    expect(verifySmsSignature(Buffer.from(body), sign(body, 's3cret').slice('sha256='.length), 's3cret')).toBe(false);
    expect(verifySmsSignature(Buffer.from(body), undefined, 's3cret')).toBe(false);
    expect(verifySmsSignature(undefined, sign(body, 's3cret'), 's3cret')).toBe(false);
    expect(verifySmsSignature(Buffer.from(body), sign(body, ''), '')).toBe(false);
  });

  test('a report is checked field by field', () => {
    expect(parseSmsReport(JSON.parse(body))).toEqual({ ok: true, value: JSON.parse(body) });
    const bad = parseSmsReport({ id: '', status: 'lost', at: 'soon', error: 3 });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.path)).toEqual(['/id', '/status', '/at', '/error']);
    expect(parseSmsReport([]).ok).toBe(false);
  });

  test('delivered settles and corrects a failure; failed is final and never undoes a delivery', () => {
    const delivered = reportOutcome({ id: 'sms-1', reference: null, status: 'delivered', at: '2026-11-22T10:00:00Z' });
    expect(delivered).toEqual({ status: 'delivered', error: null, from: ['sending', 'temporary_failure', 'permanent_failure'] });
    const failed = reportOutcome({ id: 'sms-1', reference: null, status: 'failed', at: '2026-11-22T10:00:00Z', error: 'unreachable: not in service' });
    expect(failed).toEqual({ status: 'permanent_failure', error: 'unreachable: not in service', from: ['sending', 'temporary_failure'] });
    expect(failed.from).not.toContain('delivered');
  });
});

describe('contact preferences', () => {
  const subject = { type: 'person', id: '85073003328' };
  const row = (over: Partial<ContactPreferencesRow>): ContactPreferencesRow => ({
    subject_type: 'person',
    subject_id: subject.id,
    language: null,
    channels: null,
    email: null,
    phone: null,
    postal_address: null,
    mandate_copies: true,
    prefilled: { found: true, name: 'An Peeters', language: 'fr', email: 'an@example.be', address: { street: 'Kerkstraat', postalCode: '9000', municipality: 'Gent' } },
    updated_at: null,
    ...over,
  });

  test('without own choices the register fills in, and says so', () => {
    const view = preferencesView(subject, row({}));
    expect(view).toMatchObject({ language: 'fr', email: 'an@example.be', phone: null, channels: ['ecounter', 'email'], channelsChosen: false, mandateCopies: true });
    expect(view.prefilled).toEqual(['language', 'email', 'postalAddress']);
    expect(view.register).toMatchObject({ name: 'An Peeters', email: 'an@example.be' });
  });

  test('own choices win and are not listed as prefilled', () => {
    const view = preferencesView(subject, row({ language: 'en', email: 'me@example.org', channels: ['email', 'letter'], mandate_copies: false }));
    expect(view).toMatchObject({ language: 'en', email: 'me@example.org', channels: ['email', 'letter'], channelsChosen: true, mandateCopies: false });
    expect(view.prefilled).toEqual(['postalAddress']);
  });

  test('nobody known yet: Dutch, only the e-counter (no letter without a postal address), nothing prefilled', () => {
    const view = preferencesView(subject, undefined);
    expect(view).toMatchObject({ language: 'nl', channels: ['ecounter'], available: ['ecounter'], prefilled: [], register: null });
    expect(view.unavailable).toEqual([
      { channel: 'email', reason: expect.stringContaining('not read for you yet') },
      { channel: 'sms', reason: expect.stringContaining('phone') },
      { channel: 'letter', reason: expect.stringContaining('postalAddress') },
    ]);
  });

  test('only channels that reach the person are offered, each refused one with why; what GET offers, PUT accepts', () => {
    const withAddress = preferencesView(subject, row({}));
    expect(withAddress.available).toEqual(['ecounter', 'email', 'letter']);
    expect(withAddress.unavailable).toEqual([{ channel: 'sms', reason: expect.stringContaining('the register holds none') }]);
    const noAddress = preferencesView(subject, row({ prefilled: { found: true, language: 'nl' } }));
    expect(noAddress).toMatchObject({ channels: ['ecounter'], available: ['ecounter'] });
    expect(noAddress.unavailable.map((u) => u.channel)).toEqual(['email', 'sms', 'letter']);
    expect(unreachableChannels({ channels: withAddress.available }, row({}).prefilled)).toEqual([]);
    expect(unreachableChannels({ channels: noAddress.available }, { found: true })).toEqual([]);
  });

  test('a channel without an address to reach is refused at its pointer', () => {
    expect(unreachableChannels({ channels: ['ecounter', 'sms', 'email'] }, { email: 'an@example.be' })).toEqual([
      { path: '/channels/1', message: expect.stringContaining('phone') },
    ]);
    expect(unreachableChannels({ channels: ['letter'], postalAddress: { street: 'x' } }, null)).toEqual([]);
    expect(unreachableChannels({ channels: ['letter'] }, null)).toEqual([{ path: '/channels/0', message: expect.stringContaining('postalAddress') }]);
  });
});
