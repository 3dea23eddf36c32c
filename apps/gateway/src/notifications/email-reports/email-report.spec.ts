import { deliveryOfMessageId, parseEmailReport } from './email-report';

describe('a mail delivery report', () => {
  it('names its delivery by the Message-ID the dispatcher sent', () => {
    expect(deliveryOfMessageId('<5F0C2A9E-8C1B-4C55-9D55-2B4A3F1E0A11@levensloop.local>')).toBe('5f0c2a9e-8c1b-4c55-9d55-2b4a3f1e0a11');
    expect(deliveryOfMessageId('5f0c2a9e-8c1b-4c55-9d55-2b4a3f1e0a11@levensloop.local')).toBe('5f0c2a9e-8c1b-4c55-9d55-2b4a3f1e0a11');
    expect(deliveryOfMessageId('<abc@levensloop.local>')).toBeNull();
  });

  it('is checked field by field, every problem at its pointer', () => {
    expect(parseEmailReport({ messageId: ' <a@b> ', status: 'bounced', at: '2026-12-06T10:00:00Z', error: '550' })).toEqual({
      ok: true,
      value: { messageId: '<a@b>', status: 'bounced', at: '2026-12-06T10:00:00Z', error: '550' },
    });
    expect(parseEmailReport([])).toEqual({ ok: false, errors: [{ path: '', message: expect.any(String) }] });
    const bad = parseEmailReport({ messageId: '', status: 'failed', at: 'yesterday', error: 5 });
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['/messageId', '/status', '/at', '/error']);
  });
});
