import type { FanOutBatch } from '@levensloop/persistence';
import { decideFallback } from './fallback.job';
import { decideFanOut } from './fan-out.job';

describe("an escalation's e-mail to supervisors", () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const note = (id: string, category: string) => ({ id, category, created_at: new Date(now - 60_000), subject_type: 'person' as const, subject_id: 'child', life_event_key: 'birth', agency: 'payer', team: 'intake' });

  test('goes by e-mail to each supervisor found, in their language, never to the subject; it does not wait for anyone\'s contact details', () => {
    const batch: FanOutBatch = {
      notes: [note('esc', 'task.escalated'), note('nobody', 'task.escalated')],
      copies: new Map(),
      contacts: new Map(),
      supervisors: new Map([
        [
          'esc',
          [
            { note_id: 'esc', recipient_id: 'supervisor-1', email: 'an@payer.example', language: 'en' },
            { note_id: 'esc', recipient_id: 'supervisor-2', email: 'bo@payer.example', language: 'fr' },
          ],
        ],
      ]),
    };
    const { deliveries, done, awaitingContacts } = decideFanOut(batch, now, () => false);
    expect(awaitingContacts).toBe(false);
    // Without supervisors on the list the message is done: the console's notice remains.
    expect(done).toEqual(['esc', 'nobody']);
    expect(deliveries).toEqual([
      { notificationId: 'esc', recipientType: 'supervisor', recipientId: 'supervisor-1', relation: 'supervisor', channel: 'email', address: 'an@payer.example', language: 'en' },
      { notificationId: 'esc', recipientType: 'supervisor', recipientId: 'supervisor-2', relation: 'supervisor', channel: 'email', address: 'bo@payer.example', language: 'fr' },
    ]);
  });

  test('a bounce of it goes nowhere else (no letter to a civil servant); a citizen\'s bounce still falls back', () => {
    const failed = { id: 'd1', notification_id: 'n1', recipient_type: 'supervisor', recipient_id: 'supervisor-1', channel: 'email', language: 'en', own: null, prefilled: null, others: [] };
    expect(decideFallback({ ...failed, relation: 'supervisor' })).toEqual({ channel: null, address: null });
    const citizen = decideFallback({ ...failed, recipient_type: 'person', recipient_id: 'child', relation: 'subject', prefilled: { found: true, address: { postalCode: '9000' } } as never });
    expect(citizen.channel).not.toBeNull();
  });
});
