import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LevensloopConfig } from '@levensloop/config';
import { changeAppointmentUpdate } from '@levensloop/contracts/workflow';
import { parseDuration, slotPeriod, slotProblem, taskCompletionAccess, taskVisibility, type AppointmentAction, type AppointmentSlot, type SubjectType } from '@levensloop/domain';
import { catalogEndpointHosts, createAgencyCaller, readFreeSlots, type AgencyCaller } from '@levensloop/activities';
import { AppointmentSteps, AuditLog, Tasks, type TaskRow } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { AccessService } from '../access/access.service';
import { CONFIG } from '../config.provider';
import { conflict, invalid, notFound, ProblemException } from '../common/problem';
import { TemporalService } from '../temporal/temporal.provider';
import { workflowIdOf } from '../journeys/journeys.service';
import { updateJourney } from '../journeys/workflow-errors';
import { accessFacts } from '../tasks/task-access';

/**
 * Appointments on a citizen's "choose a time" task: free slots are read from the agency's calendar
 * through the agency client (a read: no business step runs); booking, moving and cancelling go
 * through the journey (an update; its activity calls the calendar once per change).
 */
@Injectable()
export class AppointmentsService {
  private readonly call: AgencyCaller;

  constructor(
    private readonly tasks: Tasks,
    private readonly steps: AppointmentSteps,
    private readonly access: AccessService,
    private readonly temporal: TemporalService,
    private readonly audit: AuditLog,
    dataSource: DataSource,
    @Inject(CONFIG) config: LevensloopConfig,
  ) {
    // The same guards as the worker's agency calls: the agency's hosts, no redirects, signed, capped.
    this.call = createAgencyCaller({ hostsOf: catalogEndpointHosts(dataSource, config.agencyCalls.hostsCacheMs), warn: () => undefined }, config.agencyCalls);
  }

  async slots(principal: Principal, taskId: string, asked: { from?: string; to?: string }) {
    const { task, step, spec } = await this.appointmentTask(principal, taskId);
    const period = slotPeriod(asked, spec, (step.started_at ?? new Date()).toISOString(), new Date().toISOString());
    if ('problem' in period) throw invalid(`No slots to show: ${period.problem}.`, [{ path: '/from', message: period.problem }]);
    let slots: AppointmentSlot[];
    try {
      slots = await readFreeSlots(this.call, {
        journeyId: task.journey_id,
        nodeKey: task.node_key,
        agency: step.agency,
        endpoint: step.endpoint!,
        calendar: spec.calendar,
        subject: { type: task.subject_type as SubjectType, id: task.subject_id },
        ...period,
        durationMinutes: Math.round((parseDuration(spec.duration) ?? 0) / 60_000),
      });
    } catch (err) {
      throw new ProblemException(502, `The agency's calendar did not answer: ${(err as Error).message.slice(0, 200)}. Try again later.`, { slug: 'calendar-unavailable' });
    }
    // Only what the step may book: its length, in the window, still to come.
    const fits = slots.filter((s) => Date.parse(s.end) - Date.parse(s.start) === parseDuration(spec.duration) && Date.parse(s.start) >= Date.parse(period.from) && Date.parse(s.end) <= Date.parse(period.to));
    fits.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    const booking = await this.steps.booking(task.journey_id, task.node_key);
    return { place: spec.place, duration: spec.duration, period, ...(booking ? { booking } : {}), slots: fits };
  }

  async change(principal: Principal, taskId: string, action: AppointmentAction, slot?: AppointmentSlot) {
    // Who asks is checked before what is asked: whoever may complete the task books, moves and cancels.
    const { task, step: pinned, spec } = await this.appointmentTask(principal, taskId, true);
    // A slot that cannot fit the step is the caller's to fix (the journey checks again, with its own clock).
    const problem = slot ? slotProblem(slot, spec, pinned.started_at?.toISOString(), new Date().toISOString()) : undefined;
    if (problem) throw invalid(`That slot cannot be booked: ${problem}.`, [{ path: '/slot', message: problem }]);
    const step = await updateJourney(this.temporal.client, workflowIdOf(task.journey_id), changeAppointmentUpdate, {
      nodeKey: task.node_key,
      action,
      ...(slot ? { slot: { start: slot.start, end: slot.end } } : {}),
      by: principal.sub,
    });
    const booking = step.appointment?.booking;
    await this.audit.append({
      actor: principal.sub,
      action: `task.appointment_${action === 'book' ? 'booked' : action === 'move' ? 'moved' : 'cancelled'}`,
      targetType: 'task',
      targetId: task.id,
      detail: booking ? { start: booking.start, end: booking.end } : {},
    });
    return { taskId: task.id, ...(booking ? { booking: { start: booking.start, end: booking.end, uid: booking.uid, sequence: booking.sequence } } : {}), place: spec.place };
  }

  private async appointmentTask(principal: Principal, taskId: string, toChange = false) {
    const task = await this.tasks.find(taskId);
    if (!task || !(await this.access.resolve(principal, taskVisibility(principal, accessFacts(task))))) throw notFound(`Task ${taskId}`);
    if (toChange) await this.access.resolve(principal, taskCompletionAccess(principal, accessFacts(task)));
    if (task.purpose !== 'appointment') throw conflict('This task is not a "choose a time" task of an appointment.', 'not-an-appointment');
    if (!isOpen(task)) throw conflict(`The task is ${task.status}: the appointment can no longer be booked, moved or cancelled here.`);
    const step = await this.steps.find(task.journey_id, task.node_key);
    if (!step?.appointment || !step.endpoint) throw conflict('The step declares no calendar.', 'not-an-appointment');
    return { task, step, spec: step.appointment };
  }
}

const isOpen = (task: TaskRow) => task.status === 'open' || task.status === 'claimed';
