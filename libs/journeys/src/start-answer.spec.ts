import { journeyHeader, type JourneyInput } from '@levensloop/contracts/workflow';
import type { LifeEventSnapshot } from '@levensloop/domain';
import { journeyAtStart } from './start-answer';

const snapshot: LifeEventSnapshot = {
  key: 'start-business',
  version: 3,
  audience: 'business',
  titles: { nl: 'Onderneming starten', en: 'Starting a business' },
  nodes: [
    { key: 'vat', step: { agency: 'fin', key: 'vat', version: 2 }, definition: { agency: 'fin', key: 'vat', version: 2, kind: 'automatic', endpoint: 'http://x', titles: { nl: 'btw' }, serviceNorm: { target: 'P1D' } } },
    { key: 'permit', step: { agency: 'city', key: 'permit', version: 1 }, definition: { agency: 'city', key: 'permit', version: 1, kind: 'caseworker', titles: { nl: 'vergunning' }, serviceNorm: { target: 'P5D' } } },
    { key: 'bank', step: { agency: 'bank', key: 'open', version: 1 }, definition: { agency: 'bank', key: 'open', version: 1, kind: 'citizen', titles: { nl: 'rekening' }, serviceNorm: { target: 'P2D' } } },
  ],
};
const input: JourneyInput = {
  journeyId: '0b5f6c1e-0000-4000-8000-0000000000b1',
  snapshot,
  subject: { type: 'enterprise', id: '0123456749' },
  data: { servesAlcohol: true },
  startedBy: 'citizen-1',
  startedAt: '2026-12-06T10:00:00.000Z',
  idempotencyKey: 'citizen-1:key-1',
  revision: 1,
  sourceEvent: { source: 'enterprise-register', id: 'e1', type: 'be.enterprise-register.enterprise.registered' },
};

describe('the journey as it starts (the start answer and the first projection agree)', () => {
  it('is the row the first projection writes from the header: running, the agencies sorted, nothing due', () => {
    const { row } = journeyAtStart(input);
    const header = journeyHeader(input);
    expect(row).toEqual({
      id: input.journeyId,
      life_event_key: 'start-business',
      life_event_version: 3,
      title: snapshot.titles,
      subject_type: 'enterprise',
      subject_id: '0123456749',
      status: 'running',
      agencies: ['bank', 'city', 'fin'],
      needs_attention: false,
      next_due_at: null,
      started_at: new Date('2026-12-06T10:00:00.000Z'),
      completed_at: null,
      cancel_reason: null,
      started_by: 'citizen-1',
      data: { servesAlcohol: true },
      updated_at: new Date('2026-12-06T10:00:00.000Z'),
    });
    expect(header).toMatchObject({ lifeEventKey: row.life_event_key, lifeEventVersion: row.life_event_version, agencies: row.agencies, startedBy: row.started_by, data: row.data, idempotencyKey: 'citizen-1:key-1' });
  });

  it('lists every step pending, in the order of the life event, with its agency, kind and title', () => {
    expect(journeyAtStart(input).steps).toEqual([
      { key: 'vat', agency: 'fin', kind: 'automatic', status: 'pending', title: { nl: 'btw' }, overdue: false, attempts: 0 },
      { key: 'permit', agency: 'city', kind: 'caseworker', status: 'pending', title: { nl: 'vergunning' }, overdue: false, attempts: 0 },
      { key: 'bank', agency: 'bank', kind: 'citizen', status: 'pending', title: { nl: 'rekening' }, overdue: false, attempts: 0 },
    ]);
  });

  it('carries the source event only for journeys an event started', () => {
    expect(journeyHeader(input).sourceEvent).toEqual(input.sourceEvent);
    const { sourceEvent: _left, ...byHand } = input;
    expect('sourceEvent' in journeyHeader(byHand)).toBe(false);
  });
});
