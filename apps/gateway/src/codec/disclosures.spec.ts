import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { disclosedBy, readPurpose } from './disclosures';

const J1 = '0c5f6c1e-0000-4000-8000-000000000001';
const J2 = '0c5f6c1e-0000-4000-8000-000000000002';
const person = { type: 'person', id: '85073003328' };
const json = (value: unknown): Payload => defaultPayloadConverter.toPayload(value)!;

describe('what a decode disclosed', () => {
  it('names each journey once, with the subject a payload gave next to its id', () => {
    const decoded = [json({ journeyId: J1, subject: person, data: { phone: '+32470123987' } }), json({ journeyId: J1, node: 'review' }), json([{ journeyId: J2.toUpperCase() }])];
    const { journeys, subjects } = disclosedBy(decoded, [true, true, true]);
    expect([...journeys]).toEqual([
      [J1, person],
      [J2, undefined],
    ]);
    expect(subjects).toEqual([]);
  });

  it('keeps a subject found later in the request for a journey first seen without one', () => {
    const { journeys } = disclosedBy([json({ input: { journeyId: J1 } }), json({ journeyId: J1, subject: person })], [true, true]);
    expect(journeys.get(J1)).toEqual(person);
  });

  it('names subjects outside any journey, but not those a named journey already covers', () => {
    const enterprise = { type: 'enterprise', id: '0123456789' };
    const { journeys, subjects } = disclosedBy([json({ event: { subject: enterprise } }), json({ subject: person }), json({ journeyId: J1, subject: person })], [true, true, true]);
    expect([...journeys.keys()]).toEqual([J1]);
    expect(subjects).toEqual([enterprise]);
  });

  it('counts only what was decrypted, and reads neither binary payloads nor what is not an id or a subject', () => {
    const binary: Payload = { metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.from(JSON.stringify({ journeyId: J2 })) };
    const { journeys, subjects } = disclosedBy(
      [json({ journeyId: J1 }), binary, json({ journeyId: 'journey-1', subject: { type: 'person', id: 'x' } }), json({ subject: { type: 'robot', id: '85073003328' } })],
      [false, true, true, true],
    );
    expect([...journeys.keys()]).toEqual([]);
    expect(subjects).toEqual([]);
  });

  it('stops at a hostile depth instead of overflowing', () => {
    const deep = `${'{"next":'.repeat(2000)}{"journeyId":"${J1}"}${'}'.repeat(2000)}`;
    const payload: Payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(deep) };
    expect(disclosedBy([payload], [true]).journeys.size).toBe(0);
    expect(disclosedBy([json({ a: { b: { journeyId: J1 } } })], [true]).journeys.size).toBe(1);
  });
});

describe('the purpose an auditor states', () => {
  it('is taken trimmed, percent-decoded when it is percent-encoded', () => {
    expect(readPurpose('  complaint 2026-114 ')).toEqual({ purpose: 'complaint 2026-114' });
    expect(readPurpose('Klacht%20over%20beslissing%20%C3%A9')).toEqual({ purpose: 'Klacht over beslissing é' });
    expect(readPurpose('100% checked')).toEqual({ purpose: '100% checked' });
  });

  it('says what is wrong with a missing, short, long or control-laden one', () => {
    expect(readPurpose(undefined)).toEqual({ problem: 'missing' });
    expect(readPurpose('   ')).toEqual({ problem: 'missing' });
    expect(readPurpose('ok')).toEqual({ problem: 'is shorter than 3 characters' });
    expect(readPurpose('x'.repeat(501))).toEqual({ problem: 'is longer than 500 characters' });
    expect(readPurpose('line%0Abreak')).toEqual({ problem: 'holds control characters' });
  });
});
