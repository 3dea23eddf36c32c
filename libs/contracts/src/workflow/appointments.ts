/**
 * Appointments between the gateway, the worker and the journey (see libs/domain appointments.ts):
 * the citizen's book, move and cancel reach the journey as one update; the journey's activity
 * calls the agency's calendar with an idempotency key per change.
 */
import { defineUpdate } from '@temporalio/workflow';
import type { AppointmentAction, AppointmentSlot, StepState, Subject } from '@levensloop/domain';

/** A book, move or cancel of the step's appointment by the citizen (or whoever acts for them). */
export interface ChangeAppointmentInput {
  nodeKey: string;
  action: AppointmentAction;
  /** For book and move: the slot as the calendar listed it. */
  slot?: AppointmentSlot;
  by: string;
}
export const changeAppointmentUpdate = defineUpdate<StepState, [ChangeAppointmentInput]>('changeAppointment');

/** The failure type of a book or move whose slot the calendar no longer has free (the gateway's 409). */
export const SLOT_TAKEN = 'SlotTaken';

/** One call to the agency's calendar service (the step's endpoint), through the agency client's guards. */
export interface CalendarCallInput {
  journeyId: string;
  nodeKey: string;
  agency: string;
  /** The calendar service (the step's endpoint) and the calendar id there. */
  endpoint: string;
  calendar: string;
  action: AppointmentAction;
  /** For move and cancel: the calendar's booking id. */
  bookingId?: string;
  slot?: AppointmentSlot;
  /** The same key for every retry: the calendar books, moves or cancels once. */
  idempotencyKey: string;
  subject: Subject;
}

export interface CalendarCallResult {
  /** The calendar's booking (its id stays the same through a move); absent after a cancel. */
  booking?: { id: string; start: string; end: string };
}

export interface AppointmentActivities {
  calendarCall(input: CalendarCallInput): Promise<CalendarCallResult>;
}
