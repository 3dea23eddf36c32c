import { ApplicationFailure } from '@temporalio/common';
import { SLOT_TAKEN, type AgencyCallInput, type AgencyCallResult, type AppointmentActivities, type CalendarCallInput, type CalendarCallResult } from '@levensloop/contracts/workflow';
import type { AppointmentSlot, Subject } from '@levensloop/domain';

/** One guarded agency call (createAgencyCaller): allow-listed hosts, no redirects, signed, capped. */
export type AgencyCaller = (input: AgencyCallInput) => Promise<AgencyCallResult>;

/**
 * The agency's calendar service, at the appointment step's endpoint, spoken to like any agency
 * endpoint (POST, JSON, `Idempotency-Key`):
 * - `{endpoint}/{calendar}/slots` with data `{ from, to }` answers `{ slots: [{ start, end }] }` (free ones);
 * - `{endpoint}/{calendar}/bookings` with data `{ slot }` books it (409 when it is taken);
 * - `…/bookings/{id}/move` with data `{ slot }` moves it (409 when taken), `…/bookings/{id}/cancel` cancels it.
 */
export const calendarUrl = (endpoint: string, calendar: string, path: string) => `${endpoint.replace(/\/+$/, '')}/${encodeURIComponent(calendar)}/${path}`;

const isSlot = (v: unknown): v is AppointmentSlot => !!v && typeof v === 'object' && typeof (v as AppointmentSlot).start === 'string' && typeof (v as AppointmentSlot).end === 'string';

/** The free slots of a calendar in a period (a read: no idempotency needed, a fresh key per read). */
export async function readFreeSlots(
  call: AgencyCaller,
  input: { journeyId: string; nodeKey: string; agency: string; endpoint: string; calendar: string; subject: Subject; from: string; to: string; durationMinutes: number },
): Promise<AppointmentSlot[]> {
  const result = await call({
    journeyId: input.journeyId,
    nodeKey: input.nodeKey,
    agency: input.agency,
    endpoint: calendarUrl(input.endpoint, input.calendar, 'slots'),
    idempotencyKey: `${input.journeyId}/${input.nodeKey}/slots/${input.from}/${input.to}`,
    subject: input.subject,
    data: { from: input.from, to: input.to, durationMinutes: input.durationMinutes },
    outputs: [{ name: 'slots', type: 'array' }],
  });
  const slots = result.body.slots;
  return Array.isArray(slots) ? slots.filter(isSlot).map((s) => ({ start: s.start, end: s.end })) : [];
}

/** The journey's calendar activity: book, move or cancel once per idempotency key; a slot taken meanwhile fails as SLOT_TAKEN (not retried). */
export function createAppointmentActivities(call: AgencyCaller): AppointmentActivities {
  return {
    async calendarCall(input: CalendarCallInput): Promise<CalendarCallResult> {
      const path = input.action === 'book' ? 'bookings' : `bookings/${encodeURIComponent(input.bookingId ?? '')}/${input.action}`;
      let result: AgencyCallResult;
      try {
        result = await call({
          journeyId: input.journeyId,
          nodeKey: input.nodeKey,
          agency: input.agency,
          endpoint: calendarUrl(input.endpoint, input.calendar, path),
          idempotencyKey: input.idempotencyKey,
          subject: input.subject,
          data: input.slot ? { slot: input.slot } : {},
          outputs: [{ name: 'booking', type: 'object' }],
        });
      } catch (err) {
        const status = err instanceof ApplicationFailure ? (err.details?.[0] as { status?: number } | undefined)?.status : undefined;
        if (status === 409) throw ApplicationFailure.nonRetryable('the slot was taken meanwhile; choose another one (nothing was booked)', SLOT_TAKEN);
        throw err;
      }
      const booking = result.body.booking as { id?: unknown } | undefined;
      if (input.action === 'cancel') return {};
      if (!booking || typeof booking.id !== 'string' || !isSlot(booking)) throw ApplicationFailure.nonRetryable(`${input.agency}'s calendar answered no booking`, 'CalendarAnswer');
      return { booking: { id: booking.id, start: booking.start, end: booking.end } };
    },
  };
}
