/**
 * The legal clock's messages: a caseworker asks the citizen for information (the step waits on
 * them, its clock suspended) or extends a step's term once, with a reason.
 */
import { defineUpdate } from '@temporalio/workflow';
import type { StepState } from '@levensloop/domain';

export interface RequestInformationInput {
  nodeKey: string;
  /** What is asked, in the caseworker's words (shown to the citizen). */
  question: string;
  /** By when the citizen is asked to answer (ISO-8601 instant). */
  dueAt: string;
  by: string;
}

export interface ExtendTermInput {
  nodeKey: string;
  /** ISO-8601 duration, at most the step's `serviceNorm.maxExtension`. */
  extension: string;
  reason: string;
  by: string;
}

export const requestInformationUpdate = defineUpdate<StepState, [RequestInformationInput]>('requestInformation');
export const extendTermUpdate = defineUpdate<StepState, [ExtendTermInput]>('extendTerm');
