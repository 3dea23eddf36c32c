/** An appointment step: the citizen books a time in the agency's calendar, a caseworker records the appointment (../appointments.ts). */
import { runAppointment } from '../appointments';
import type { StepRunner } from './step-runner';

export const appointmentRunner: StepRunner = {
  opensTaskAtStart: false,
  waitsForTask: true,
  work: (run, step) => (step.status === 'running' || step.status === 'waiting' ? runAppointment(run, step) : undefined),
};
