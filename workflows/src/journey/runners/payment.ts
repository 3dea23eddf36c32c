/** A payment step: the citizen pays a fee at the payment provider; the step completes once it is paid (../payments.ts). */
import { withAttention } from '../attention';
import { collectPayment } from '../payments';
import type { StepRunner } from './step-runner';

export const paymentRunner: StepRunner = {
  opensTaskAtStart: false,
  waitsForTask: false,
  // A provider that keeps failing makes the step need attention (a caseworker retries or skips).
  work: (run, step) => (step.status === 'running' || step.status === 'waiting' ? withAttention(run, step, () => collectPayment(run, step)) : undefined),
};
