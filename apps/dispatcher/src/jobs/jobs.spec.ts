import { newestPerJourney, type ContactRow, type DossierSource, type FanOutBatch } from '@levensloop/persistence';
import { Rates } from './context';
import { dossierPayload } from './dossier-status.job';
import { decideFanOut } from './fan-out.job';

const contact = (id: string, over: Partial<ContactRow> = {}): ContactRow => ({
  subject_id: id,
  language: null,
  channels: null,
  email: null,
  phone: null,
  postal_address: null,
  prefilled: { found: true },
  ...over,
});

describe('fan-out', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const note = (id: string, category: string, minutesOld: number) => ({
    id,
    category,
    created_at: new Date(now - minutesOld * 60_000),
    subject_type: 'person' as const,
    subject_id: 'child',
    life_event_key: 'birth',
  });

  test('the subject and each mandate holder, on the channels their details allow, in their language', () => {
    const batch: FanOutBatch = {
      notes: [note('n1', 'action.needed', 1)],
      copies: new Map([['n1', ['mother']]]),
      contacts: new Map([
        ['child', contact('child', { prefilled: { found: true, address: { postalCode: '9000' } } })],
        ['mother', contact('mother', { language: 'fr', prefilled: { found: true, email: 'm@example.be', phone: '+32470000000' } })],
      ]),
    };
    const { deliveries, done, awaitingContacts } = decideFanOut(batch, now, () => false);
    expect(done).toEqual(['n1']);
    expect(awaitingContacts).toBe(false);
    expect(deliveries.map((d) => [d.recipientId, d.relation, d.channel, d.address, d.language])).toEqual([
      ['child', 'subject', 'ecounter', 'child', 'nl'],
      ['child', 'subject', 'letter', '{"postalCode":"9000"}', 'nl'],
      ['mother', 'mandate', 'ecounter', 'mother', 'fr'],
      ['mother', 'mandate', 'email', 'm@example.be', 'fr'],
      ['mother', 'mandate', 'sms', '+32470000000', 'fr'],
    ]);
  });

  test('a young message waits for contact details not read yet; an old one goes out without them', () => {
    const batch: FanOutBatch = { notes: [note('young', 'journey.started', 9), note('old', 'journey.started', 11)], copies: new Map(), contacts: new Map() };
    const waiting = decideFanOut(batch, now, () => false);
    expect(waiting.done).toEqual(['old']);
    expect(waiting.awaitingContacts).toBe(true);
    expect(waiting.deliveries.map((d) => [d.notificationId, d.channel, d.address])).toEqual([
      ['old', 'ecounter', 'child'],
      ['old', 'letter', null],
    ]);
    // The register read failed just now: it waits, but another pass at once would not help.
    expect(decideFanOut(batch, now, () => true).awaitingContacts).toBe(false);
  });
});

describe('dossier status', () => {
  const source = (over: Partial<DossierSource['journey']> = {}): DossierSource => ({
    journey: {
      id: 'j1',
      title: { nl: 'Geboorte', en: 'Birth' },
      status: 'running',
      subject_type: 'person',
      subject_id: 'child',
      life_event_key: 'birth',
      updated_at: new Date('2026-12-01T12:00:00Z'),
      language: null,
      prefilled_language: 'en',
      ...over,
    },
    steps: [{ kind: 'citizen', status: 'waiting', title: { nl: 'Toestemming', en: 'Consent' } }],
    citizenTasks: [{ nl: 'Toestemming', en: 'Consent' }],
    holders: ['mother', 'child'],
  });

  test('the payload in the person’s language, the audience without the subject twice, the action asked', () => {
    const payload = dossierPayload(source(), 7, 'https://mijn.example');
    expect(payload).toMatchObject({
      seq: 7,
      subject: { type: 'person', id: 'child' },
      audience: ['child', 'mother'],
      title: 'Birth',
      statusCode: 'action_needed',
      actionNeeded: { flag: true },
      link: 'https://mijn.example/journeys/j1',
      updatedAt: '2026-12-01T12:00:00.000Z',
      language: 'en',
    });
    expect(dossierPayload(source({ language: 'fr', prefilled_language: 'en' }), 1, 'https://x').language).toBe('fr');
    expect(dossierPayload(source({ language: 'xx', prefilled_language: null }), 1, 'https://x').language).toBe('nl');
    expect(dossierPayload(source({ status: 'cancelled' }), 1, 'https://x')).toMatchObject({ statusCode: 'stopped', actionNeeded: { flag: false } });
  });

  test('per journey only the newest change is pushed', () => {
    const taken = [
      { journey_id: 'a', seq: 1 },
      { journey_id: 'b', seq: 4 },
      { journey_id: 'a', seq: 3 },
      { journey_id: 'a', seq: 2 },
    ];
    expect(newestPerJourney(taken)).toEqual([
      { journey_id: 'a', seq: 3 },
      { journey_id: 'b', seq: 4 },
    ]);
  });
});

describe('rates', () => {
  test('a channel over its rate gives no token and says how long to wait; unused tokens go back', () => {
    const rates = new Rates({ email: { ratePerSecond: 1, burst: 2 } } as never);
    expect(rates.take('email', 5)).toBe(2);
    expect(rates.waitMs).toBe(Infinity);
    expect(rates.take('email', 5)).toBe(0);
    expect(rates.waitMs).toBeGreaterThan(0);
    expect(rates.waitMs).toBeLessThanOrEqual(1000);
    rates.giveBack('email', 1);
    expect(rates.take('email', 5)).toBe(1);
    // A key without a bucket is not limited.
    expect(rates.take('unknown', 5)).toBe(5);
  });
});
