/**
 * The step kinds the journey runs, one runner each. A new step kind is a runner module here and
 * its line below (the compiler asks for one per `StepKind`).
 */
import type { StepKind } from '@levensloop/domain';
import { automaticRunner } from './automatic';
import { decisionRunner } from './decision';
import { appointmentRunner } from './appointment';
import { caseworkerRunner, citizenRunner } from './human-task';
import { paymentRunner } from './payment';
import type { StepRunner } from './step-runner';

export const STEP_RUNNERS: Readonly<Record<StepKind, StepRunner>> = {
  automatic: automaticRunner,
  caseworker: caseworkerRunner,
  citizen: citizenRunner,
  decision: decisionRunner,
  appointment: appointmentRunner,
  payment: paymentRunner,
};

export type { StepRunner } from './step-runner';
