/**
 * The appointment step kind (libs/domain appointments.ts): the citizen's "choose a time" task,
 * the book, move and cancel update (each change one call to the agency's calendar, under an
 * idempotency key of its own), the reminder before the appointment (once per booking version: a
 * move re-arms it), and at the appointment's time the caseworker's record: attended completes the
 * step; a no-show lets the citizen book again once, a second one rejects the step.
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  afterNoShow,
  appointmentRequestError,
  bookingUid,
  bookingVersion,
  reminderInstant,
  type AppointmentBooking,
  type AppointmentSpec,
  type AppointmentState,
  type StepState,
} from '@levensloop/domain';
import { changeAppointmentUpdate, SLOT_TAKEN, type AppointmentActivities, type ChangeAppointmentInput, type CompleteTaskInput } from '@levensloop/contracts/workflow';
import type { JourneyRun } from './journey-run';
import { openInTeamQueue } from './teams';

/** The citizen waits for the answer (the update): a calendar that does not answer soon is tried a few times only. */
const calendar = proxyActivities<AppointmentActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds', nonRetryableErrorTypes: [SLOT_TAKEN] },
});

const specOf = (run: JourneyRun, step: StepState): AppointmentSpec => run.definition(step.key).appointment!;

/** What the timeline (and so the citizen's message and its .ics) says of a booking: the time, the place, the iCalendar identity. */
function bookingDetail(run: JourneyRun, step: StepState, booking: AppointmentBooking, extra: Record<string, unknown> = {}) {
  return { start: booking.start, end: booking.end, place: specOf(run, step).place, uid: booking.uid, sequence: booking.sequence, ...extra };
}

/**
 * The step's work: its "choose a time" task opens, then the step follows its booking until the
 * caseworker's record ends it. Driven by the state only, so it resumes as it was after a
 * continue-as-new.
 */
export async function runAppointment(run: JourneyRun, step: StepState): Promise<void> {
  const spec = specOf(run, step);
  const a: AppointmentState = (step.appointment ??= { bookings: 0 });
  if (step.status === 'running') {
    step.status = 'waiting';
    step.waitingFor = 'appointment';
    run.record('step.task_created', step.key, { assignee: 'citizen', purpose: 'appointment' });
  }
  while (step.status === 'waiting') {
    if (step.waitingFor !== 'appointment') {
      await condition(() => step.status !== 'waiting' || step.waitingFor === 'appointment');
      continue;
    }
    const booking = a.booking;
    if (!booking) {
      await condition(() => step.status !== 'waiting' || !!a.booking);
      continue;
    }
    const version = bookingVersion(booking);
    const changed = () => step.status !== 'waiting' || !a.booking || bookingVersion(a.booking) !== version;
    const remindAt = a.remindedFor === version ? undefined : reminderInstant(booking, spec, run.now());
    if (remindAt) {
      if (await condition(changed, Math.max(1, Date.parse(remindAt) - Date.now()))) continue;
      a.remindedFor = version;
      run.record('step.appointment_reminder', step.key, bookingDetail(run, step, booking));
    }
    const startsIn = Date.parse(booking.start) - Date.now();
    if (startsIn > 0 && (await condition(changed, startsIn))) continue;
    // A change under way at the very start finishes first (the calendar has the last word).
    if (a.busy) {
      await condition(() => !a.busy);
      continue;
    }
    // The appointment's time: the caseworker records whether the citizen came.
    step.waitingFor = 'task';
    openInTeamQueue(run, step);
    run.record('step.task_created', step.key, { assignee: 'caseworker', purpose: 'attendance' });
  }
}

/** The idempotency key of a change: one per booking, per move of it, and for its cancel. */
function changeKey(run: JourneyRun, step: StepState, request: ChangeAppointmentInput, a: AppointmentState): string {
  const base = `${run.journeyId}/${step.key}/appointment`;
  if (request.action === 'book') return `${base}/booking-${a.bookings + 1}`;
  const current = a.booking!;
  return request.action === 'move' ? `${base}/booking-${a.bookings}/move-${current.sequence + 1}` : `${base}/booking-${a.bookings}/cancel`;
}

const slotTaken = (err: unknown) => err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === SLOT_TAKEN;

/** Books, moves or cancels at the calendar, then records it; the calendar's refusal refuses the update (nothing changes). */
async function changeAppointment(run: JourneyRun, request: ChangeAppointmentInput): Promise<StepState> {
  const step = run.state.steps[request.nodeKey];
  const spec = specOf(run, step);
  const a: AppointmentState = (step.appointment ??= { bookings: 0 });
  const current = a.booking;
  a.busy = true;
  let answer: Awaited<ReturnType<AppointmentActivities['calendarCall']>>;
  try {
    answer = await calendar.calendarCall({
      journeyId: run.journeyId,
      nodeKey: step.key,
      agency: step.agency,
      endpoint: run.definition(step.key).endpoint!,
      calendar: spec.calendar,
      action: request.action,
      ...(current ? { bookingId: current.id } : {}),
      ...(request.slot ? { slot: { start: request.slot.start, end: request.slot.end } } : {}),
      idempotencyKey: changeKey(run, step, request, a),
      subject: run.subject,
    });
  } catch (err) {
    if (slotTaken(err)) throw ApplicationFailure.nonRetryable('That slot was taken meanwhile; nothing was booked. Choose another time.', SLOT_TAKEN);
    throw ApplicationFailure.nonRetryable(`The agency's calendar could not ${request.action} the appointment now; nothing changed. Try again later.`, 'CalendarUnavailable');
  } finally {
    delete a.busy;
  }
  if (request.action === 'book') {
    a.bookings++;
    a.booking = { id: answer.booking!.id, start: answer.booking!.start, end: answer.booking!.end, uid: bookingUid(run.journeyId, step.key, a.bookings), sequence: 0 };
    delete a.attendance;
    run.record('step.appointment_booked', step.key, bookingDetail(run, step, a.booking, { by: request.by }));
  } else if (request.action === 'move') {
    a.booking = { ...current!, start: answer.booking!.start, end: answer.booking!.end, sequence: current!.sequence + 1 };
    run.record('step.appointment_moved', step.key, bookingDetail(run, step, a.booking, { by: request.by, previousStart: current!.start }));
  } else {
    delete a.booking;
    // A cancel is the booking's last version: its SEQUENCE rises once more (RFC 5546).
    run.record('step.appointment_cancelled', step.key, bookingDetail(run, step, { ...current!, sequence: current!.sequence + 1 }, { by: request.by }));
  }
  run.markDirty(step.key);
  return step;
}

/** The caseworker's record at the appointment's time: approve = attended (the step completes), reject = no-show. */
export function recordAttendance(run: JourneyRun, task: CompleteTaskInput): StepState {
  const step = run.state.steps[task.nodeKey];
  const a: AppointmentState = (step.appointment ??= { bookings: 0 });
  const booking = a.booking;
  const when = booking ? { start: booking.start, end: booking.end } : {};
  const comment = task.comment ? { comment: task.comment } : {};
  if (task.outcome === 'approve') {
    a.attendance = 'attended';
    delete step.waitingFor;
    step.status = 'completed';
    step.completedAt = run.now();
    step.outcome = { result: 'approved', by: task.by, data: { attendance: 'attended', ...when }, ...comment };
    run.record('step.completed', step.key, { by: task.by, attendance: 'attended', ...comment });
    return step;
  }
  a.attendance = 'no_show';
  a.noShows = (a.noShows ?? 0) + 1;
  const next = afterNoShow(a.noShows);
  run.record('step.appointment_no_show', step.key, { by: task.by, ...when, place: specOf(run, step).place, noShows: a.noShows, next, ...comment });
  if (next === 'rejected') {
    delete step.waitingFor;
    step.status = 'completed';
    step.completedAt = run.now();
    step.outcome = { result: 'rejected', by: task.by, data: { attendance: 'no_show', noShows: a.noShows, ...when }, ...comment };
    run.record('step.rejected', step.key, { by: task.by, attendance: 'no_show', ...comment });
    return step;
  }
  // The citizen books again: the booking is spent, the "choose a time" task opens again.
  delete a.booking;
  step.waitingFor = 'appointment';
  if (step.claimedBy) step.claimedBy = null;
  run.markDirty(step.key);
  return step;
}

/** Appointment steps of the journey that hold a booking at their agency's calendar. */
export const heldBookings = (run: JourneyRun): StepState[] => Object.values(run.state.steps).filter((s) => s.kind === 'appointment' && !!s.appointment?.booking);

/**
 * A cancelled journey frees the slots its appointment steps held: each booking is cancelled at the
 * calendar (once, under the booking's cancel key, outside the journey's cancellation) and the
 * citizen is told with its iCalendar CANCEL. A calendar that does not answer keeps the slot; the
 * citizen is told all the same (`released: false`): the appointment no longer takes place.
 */
export async function releaseBookings(run: JourneyRun): Promise<void> {
  for (const step of heldBookings(run)) {
    const a = step.appointment!;
    const booking = a.booking!;
    const spec = specOf(run, step);
    const released = await CancellationScope.nonCancellable(() =>
      calendar
        .calendarCall({
          journeyId: run.journeyId,
          nodeKey: step.key,
          agency: step.agency,
          endpoint: run.definition(step.key).endpoint!,
          calendar: spec.calendar,
          action: 'cancel',
          bookingId: booking.id,
          idempotencyKey: `${run.journeyId}/${step.key}/appointment/booking-${a.bookings}/cancel`,
          subject: run.subject,
        })
        .then(
          () => true,
          () => false,
        ),
    );
    delete a.booking;
    run.record('step.appointment_cancelled', step.key, bookingDetail(run, step, { ...booking, sequence: booking.sequence + 1 }, { by: 'journey', journeyCancelled: true, released }));
  }
}

export function registerAppointmentHandlers(run: JourneyRun): void {
  const { state } = run;
  setHandler(changeAppointmentUpdate, (request) => changeAppointment(run, request), {
    validator: (request) => {
      const step = state.steps[request.nodeKey];
      const error = appointmentRequestError(state.steps, request, step ? run.definition(step.key).appointment : undefined, run.now());
      if (error) throw new Error(error);
    },
  });
}
