import { auditOfTimelineEvent } from './projection';

describe('auditOfTimelineEvent: what the projection audits because no request did', () => {
  const at = '2026-12-06T10:00:00.000Z';
  it('audits a cancellation made in Temporal itself', () => {
    expect(auditOfTimelineEvent({ seq: 4, at, type: 'journey.cancelled', detail: { by: 'temporal', reason: 'cancelled in Temporal' } })).toEqual({
      actor: 'temporal',
      action: 'journey.cancelled',
      detail: { via: 'temporal', reason: 'cancelled in Temporal' },
    });
  });
  it('leaves a cancellation through the API (the gateway audits it) and every other event alone', () => {
    expect(auditOfTimelineEvent({ seq: 4, at, type: 'journey.cancelled', detail: { by: 'cw-1', reason: 'asked by the citizen' } })).toBeUndefined();
    expect(auditOfTimelineEvent({ seq: 5, at, type: 'step.completed', step: 'review', detail: { by: 'temporal' } })).toBeUndefined();
  });
});
