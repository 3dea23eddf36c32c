import { effectiveContact } from '../channels/contact';
import { emailReportOutcome, statusAfterEmailReports } from './email-reports';
import { FALLBACK_FROM, fallbackChannel, fallsBack } from './fallback';

const address = { street: 'Kerkstraat 1', postalCode: '9000', municipality: 'Gent' };
const everything = effectiveContact({ email: 'jan@example.org', phone: '+32470123456', postalAddress: address });

describe('the next channel of a message that could not be delivered', () => {
  it('falls back only from channels that reach the person by themselves', () => {
    expect(FALLBACK_FROM).toEqual(['email', 'sms']);
    expect([fallsBack('email'), fallsBack('sms'), fallsBack('letter'), fallsBack('ecounter')]).toEqual([true, true, false, false]);
  });

  it('a bounced e-mail goes by SMS when a number is known, else on paper', () => {
    expect(fallbackChannel('email', everything, [{ channel: 'ecounter', status: 'delivered' }])).toBe('sms');
    expect(fallbackChannel('email', effectiveContact({ email: 'jan@example.org', postalAddress: address }), [])).toBe('letter');
  });

  it('an SMS to a number out of service goes by e-mail, else on paper', () => {
    expect(fallbackChannel('sms', everything, [])).toBe('email');
    expect(fallbackChannel('sms', effectiveContact({ phone: '+32470123456', postalAddress: address }), [{ channel: 'ecounter', status: 'delivered' }])).toBe('letter');
  });

  it('follows the person’s choice of digital channels; paper is the last resort whatever they chose', () => {
    const smsOnly = effectiveContact({ channels: ['sms'], email: 'jan@example.org', phone: '+32470123456', postalAddress: address });
    expect(fallbackChannel('sms', smsOnly, [])).toBe('letter');
    const emailOnly = effectiveContact({ channels: ['email'], email: 'jan@example.org', phone: '+32470123456', postalAddress: address });
    expect(fallbackChannel('email', emailOnly, [])).toBe('letter');
  });

  it('when every digital channel failed: the letter', () => {
    expect(fallbackChannel('sms', everything, [{ channel: 'email', status: 'permanent_failure' }, { channel: 'ecounter', status: 'delivered' }])).toBe('letter');
  });

  it('nothing while another delivery reached the person or still may; nothing tried twice; nothing without an address', () => {
    for (const status of ['queued', 'sending', 'temporary_failure', 'delivered']) {
      expect(fallbackChannel('sms', everything, [{ channel: 'email', status }])).toBeNull();
    }
    expect(fallbackChannel('sms', everything, [{ channel: 'letter', status: 'delivered' }])).toBeNull();
    // The e-counter has to be visited: it does not count as reaching the person.
    expect(fallbackChannel('email', everything, [{ channel: 'ecounter', status: 'delivered' }])).toBe('sms');
    expect(fallbackChannel('sms', everything, [{ channel: 'email', status: 'permanent_failure' }, { channel: 'letter', status: 'permanent_failure' }])).toBeNull();
    expect(fallbackChannel('email', effectiveContact({ email: 'jan@example.org' }), [])).toBeNull();
    expect(fallbackChannel('email', effectiveContact({ prefilled: { email: 'jan@example.org', address } }), [])).toBe('letter');
  });
});

describe('what a mail report makes of an e-mail delivery', () => {
  it('a bounce fails it for good, also one recorded as delivered when the server took it; a second bounce changes nothing', () => {
    expect(emailReportOutcome({ status: 'bounced', error: '550 5.1.1' })).toEqual({ status: 'permanent_failure', error: '550 5.1.1', from: ['sending', 'temporary_failure', 'delivered'] });
    expect(emailReportOutcome({ status: 'bounced' }).error).toMatch(/bounce/);
    expect(statusAfterEmailReports('delivered', [{ status: 'bounced' }])).toEqual({ status: 'permanent_failure', changed: true });
    expect(statusAfterEmailReports('delivered', [{ status: 'bounced' }, { status: 'bounced' }])).toEqual({ status: 'permanent_failure', changed: false });
  });

  it('a delivered report settles one in flight, and does not undo a bounce', () => {
    expect(statusAfterEmailReports('sending', [{ status: 'delivered' }])).toEqual({ status: 'delivered', changed: true });
    expect(statusAfterEmailReports('permanent_failure', [{ status: 'delivered' }])).toEqual({ status: 'permanent_failure', changed: false });
    expect(statusAfterEmailReports('delivered', [])).toEqual({ status: 'delivered', changed: false });
  });
});
