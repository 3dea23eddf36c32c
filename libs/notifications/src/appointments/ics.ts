import { createEvent, type DateArray } from 'ics';
import type { Language, Translations } from '@levensloop/domain';
import { pick } from '../dossier-status';

/**
 * The iCalendar (RFC 5545, methods of RFC 5546) a message about an appointment carries: one
 * VEVENT whose UID is stable per booking, whose SEQUENCE rises on every move (and once more on the
 * cancel), METHOD:REQUEST while it stands and METHOD:CANCEL once cancelled. It holds no more
 * than the message says: the time, the place, the step and file titles and the file's link; no
 * name, no national number.
 */

/** The message categories that carry one, and the iCalendar method of each. */
export const ICS_METHOD: Record<string, 'REQUEST' | 'CANCEL'> = {
  'appointment.booked': 'REQUEST',
  'appointment.moved': 'REQUEST',
  'appointment.reminder': 'REQUEST',
  'appointment.cancelled': 'CANCEL',
};

export interface AppointmentIcsInput {
  category: string;
  /** The event's detail: start, end, place, uid, sequence. */
  data: Record<string, unknown> | null;
  stepTitle: Translations | null;
  journeyTitle: Translations;
  language: Language;
  link: string;
  /** Who sends it (the ORGANIZER RFC 5546 asks for): the platform's sender address. */
  organizer?: { name?: string; email: string };
}

export interface AppointmentIcs {
  method: 'REQUEST' | 'CANCEL';
  content: string;
  filename: string;
}

const utcArray = (iso: string): DateArray => {
  const d = new Date(iso);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
};

/** The .ics of an appointment message, or undefined for any other message (or one whose event lacks the booking). */
export function appointmentIcs(input: AppointmentIcsInput): AppointmentIcs | undefined {
  const method = ICS_METHOD[input.category];
  const data = input.data ?? {};
  const { start, end, uid } = data;
  if (!method || typeof start !== 'string' || typeof end !== 'string' || typeof uid !== 'string') return undefined;
  const sequence = typeof data.sequence === 'number' ? data.sequence : 0;
  const place = data.place && typeof data.place === 'object' ? pick(data.place as Translations, input.language) : '';
  const step = pick(input.stepTitle ?? undefined, input.language);
  const journey = pick(input.journeyTitle, input.language);
  const { error, value } = createEvent({
    productId: 'levensloop/appointments',
    method,
    uid,
    sequence,
    start: utcArray(start),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: utcArray(end),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: step || journey,
    description: `${journey}\n${input.link}`,
    ...(place ? { location: place } : {}),
    url: input.link,
    status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: 'BUSY',
    ...(input.organizer ? { organizer: input.organizer } : {}),
  });
  if (error || !value) return undefined;
  return { method, content: value, filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics' };
}
