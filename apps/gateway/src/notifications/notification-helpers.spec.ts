import { createHmac } from 'node:crypto';
import { ProblemException } from '../common/problem';
import {
  decodeUuidCursor,
  encodeUuidCursor,
  maskAddress,
  parseSmsReport,
  preferencesView,
  checkSmsReport,
  reportOutcome,
  unreachableChannels,
  type ContactPreferencesRow,
} from './notification-helpers';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const T = String(NOW / 1000);
const sign = (body: string, secret: string, timestamp = T, reportId = 'r-1') =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${reportId}.${body}`).digest('hex')}`;
const headers = (body: string, secret: string, timestamp = T, reportId = 'r-1') => ({ signature: sign(body, secret, timestamp, reportId), timestamp, reportId });

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

  const check = (h: { signature?: string; timestamp?: string; reportId?: string }, raw = body, secret = 's3cret', now = NOW) => checkSmsReport(Buffer.from(raw), h, secret, now);

  test('the signature is the HMAC of "<timestamp>.<report id>.<raw body>" with the shared secret', () => {
    expect(check(headers(body, 's3cret'))).toEqual({ ok: true, reportId: 'r-1', signedAt: new Date(NOW) });
    const upper = headers(body, 's3cret');
    expect(check({ ...upper, signature: upper.signature.toUpperCase().replace('SHA256=', 'sha256=') }).ok).toBe(true);
  });

  test('another secret, body, timestamp or report id, a malformed or missing header: refused', () => {
    const good = headers(body, 's3cret');
    const refused = (h: Parameters<typeof check>[0], raw = body, secret = 's3cret') => {
      const result = check(h, raw, secret);
      return !result.ok && result.slug;
    };
    expect(refused(headers(body, 'other'))).toBe('invalid-signature');
    expect(refused(good, body.replace('delivered', 'failed'))).toBe('invalid-signature');
    expect(refused({ ...good, timestamp: String(NOW / 1000 - 1) })).toBe('invalid-signature');
    expect(refused({ ...good, reportId: 'r-2' })).toBe('invalid-signature');
    // The old format (the body alone) no longer verifies.
    expect(refused({ ...good, signature: `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}` })).toBe('invalid-signature');
    expect(refused({ ...good, signature: 'sha256=abc' })).toBe('invalid-signature');
    expect(refused({ ...good, signature: good.signature.slice('sha256='.length) })).toBe('invalid-signature');
    expect(refused({ ...good, signature: undefined })).toBe('invalid-signature');
    expect(refused({ ...good, timestamp: undefined })).toBe('invalid-signature');
    expect(refused({ ...good, reportId: undefined })).toBe('invalid-signature');
    expect(checkSmsReport(undefined, good, 's3cret', NOW).ok).toBe(false);
    expect(refused(headers(body, ''), body, '')).toBe('invalid-signature');
  });

  test('a report signed more than 5 minutes ago, or more than 30 s ahead, is refused even when the signature is right', () => {
    const at = (secondsFromNow: number) => headers(body, 's3cret', String(NOW / 1000 + secondsFromNow));
    expect(check(at(-300)).ok).toBe(true);
    expect(check(at(30)).ok).toBe(true);
    for (const h of [at(-301), at(-3600), at(31)]) {
      const result = check(h);
      expect(!result.ok && result.slug).toBe('stale-signature');
      expect(!result.ok && result.detail).toMatch(/within the last 5 minutes/);
    }
  });

  test('a report is checked field by field', () => {
    expect(parseSmsReport(JSON.parse(body))).toEqual({ ok: true, value: JSON.parse(body) });
    const bad = parseSmsReport({ id: '', status: 'lost', at: 'soon', error: 3 });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.path)).toEqual(['/id', '/status', '/at', '/error']);
    expect(parseSmsReport([]).ok).toBe(false);
  });

  test('delivered settles and corrects a failure; failed is final and never undoes a delivery; nothing goes back to a status before a final one', () => {
    const delivered = reportOutcome({ id: 'sms-1', reference: null, status: 'delivered', at: '2026-11-22T10:00:00Z' });
    expect(delivered).toEqual({ status: 'delivered', error: null, from: ['sending', 'temporary_failure', 'permanent_failure'] });
    const failed = reportOutcome({ id: 'sms-1', reference: null, status: 'failed', at: '2026-11-22T10:00:00Z', error: 'unreachable: not in service' });
    expect(failed).toEqual({ status: 'permanent_failure', error: 'unreachable: not in service', from: ['sending', 'temporary_failure'] });
    expect(failed.from).not.toContain('delivered');
    for (const outcome of [delivered, failed]) expect(['delivered', 'permanent_failure']).toContain(outcome.status);
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
