import { LANGUAGES } from '@levensloop/domain';
import { categoryOfTimelineEvent, MESSAGE_CATEGORIES } from '../categories';
import { renderMessage, type DeliveryContext } from '../content';
import { validateTemplate } from '../templates';
import { APPOINTMENT_TEMPLATES, appointmentIcs } from '.';

const detail = { start: '2026-03-05T08:00:00.000Z', end: '2026-03-05T09:00:00.000Z', place: { nl: 'Bij u thuis', fr: 'À votre domicile', de: 'Bei Ihnen zu Hause', en: 'At your home' }, uid: 'j1.visit.1@levensloop', sequence: 0, by: '85073003328' };
const ctx = (category: string, data: Record<string, unknown> = detail): DeliveryContext => ({
  category,
  data,
  journeyId: 'j1',
  journeyTitle: { nl: 'Een energiescan', en: 'An energy scan' },
  stepTitle: { nl: 'Huisbezoek', en: 'Home visit' },
  agencyNames: { nl: 'VEKA', en: 'VEKA' },
  taskDueAt: null,
  cancelReason: null,
  explanation: null,
  decisionOutcome: null,
  recipientName: 'An Peeters',
  subjectName: 'An Peeters',
  agency: 'energy-agency',
});

describe('appointment messages', () => {
  it('files a message for each appointment event, and a choose-a-time for its citizen task', () => {
    expect(categoryOfTimelineEvent({ type: 'step.task_created', detail: { assignee: 'citizen', purpose: 'appointment' } })).toBe('appointment.choose');
    expect(categoryOfTimelineEvent({ type: 'step.task_created', detail: { assignee: 'citizen' } })).toBe('action.needed');
    expect(categoryOfTimelineEvent({ type: 'step.task_created', detail: { assignee: 'caseworker', purpose: 'attendance' } })).toBeUndefined();
    expect(['booked', 'moved', 'cancelled', 'reminder', 'no_show'].map((t) => categoryOfTimelineEvent({ type: `step.appointment_${t}` as never }))).toEqual([
      'appointment.booked',
      'appointment.moved',
      'appointment.cancelled',
      'appointment.reminder',
      'appointment.no_show',
    ]);
  });

  it('has texts in the four languages that use only their fields', () => {
    for (const [category, texts] of Object.entries(APPOINTMENT_TEMPLATES)) {
      expect(MESSAGE_CATEGORIES[category]).toBeDefined();
      for (const language of LANGUAGES) expect(validateTemplate({ category, language, ...texts[language] })).toEqual([]);
    }
  });

  it('says the day, the time in Brussels time and the place', () => {
    const nl = renderMessage(undefined, ctx('appointment.booked'), 'nl', 'https://x/j1');
    expect(nl.subject).toBe('Uw afspraak staat vast: donderdag 5 maart 2026 om 09:00–10:00');
    expect(nl.body).toContain('Bij u thuis');
    const en = renderMessage(undefined, ctx('appointment.reminder'), 'en', 'https://x/j1');
    expect(en.sms).toContain('Thursday, 5 March 2026 09:00–10:00, At your home');
  });

  it('tells a no-show what comes next', () => {
    expect(renderMessage(undefined, ctx('appointment.no_show', { ...detail, next: 'book-again' }), 'en', 'l').body).toContain('You can book a new appointment once');
    expect(renderMessage(undefined, ctx('appointment.no_show', { ...detail, next: 'rejected' }), 'en', 'l').body).toContain('closed without an appointment');
  });

  it('tells a cancelled journey that no appointment is needed any more', () => {
    expect(renderMessage(undefined, ctx('appointment.cancelled'), 'en', 'l').body).toContain('You still need an appointment');
    const stopped = renderMessage(undefined, ctx('appointment.cancelled', { ...detail, journeyCancelled: true }), 'en', 'l');
    expect(stopped.body).toContain('you need not come');
    expect(stopped.sms).not.toContain('Choose a new time');
  });
});

describe("an appointment's iCalendar", () => {
  const ics = (category: string, data: Record<string, unknown> = detail) => appointmentIcs({ category, data, stepTitle: { nl: 'Huisbezoek' }, journeyTitle: { nl: 'Een energiescan' }, language: 'nl', link: 'https://x/j1', organizer: { email: 'noreply@levensloop.local' } });

  it('is a REQUEST with the booking UID, its SEQUENCE, the time in UTC and the place', () => {
    const out = ics('appointment.booked')!;
    expect(out.method).toBe('REQUEST');
    expect(out.content).toContain('METHOD:REQUEST');
    expect(out.content).toContain('UID:j1.visit.1@levensloop');
    expect(out.content).toContain('SEQUENCE:0');
    expect(out.content).toContain('DTSTART:20260305T080000Z');
    expect(out.content).toContain('DTEND:20260305T090000Z');
    expect(out.content).toContain('LOCATION:Bij u thuis');
    expect(out.content).toContain('STATUS:CONFIRMED');
  });

  it('keeps the UID and raises the SEQUENCE on a move, and is a CANCEL once cancelled', () => {
    expect(ics('appointment.moved', { ...detail, sequence: 1 })!.content).toMatch(/UID:j1\.visit\.1@levensloop[\s\S]*SEQUENCE:1/);
    const cancel = ics('appointment.cancelled', { ...detail, sequence: 2 })!;
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.content).toContain('METHOD:CANCEL');
    expect(cancel.content).toContain('STATUS:CANCELLED');
    expect(cancel.content).toContain('SEQUENCE:2');
  });

  it('holds no more personal data than the message: no national number, no name', () => {
    const out = ics('appointment.booked')!.content;
    expect(out).not.toContain('85073003328');
    expect(out).not.toContain('Peeters');
  });

  it('goes only with appointment messages that carry a booking', () => {
    expect(ics('appointment.no_show')).toBeUndefined();
    expect(ics('decision.made')).toBeUndefined();
    expect(ics('appointment.booked', { place: detail.place })).toBeUndefined();
  });
});
