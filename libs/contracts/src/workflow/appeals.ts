/** The journey's appeal updates: appeal a decision after an upheld objection, and decide the appeal. */
import { defineUpdate } from '@temporalio/workflow';
import type { AppealVerdict, StepState, Translations } from '@levensloop/domain';

/** The subject or a mandate holder appeals (the gateway checked who may). */
export interface FileAppealInput {
  nodeKey: string;
  reason: string;
  by: string;
}

/** A caseworker of the appeal agency (not one who decided, overrode or reviewed) upholds or revises. */
export interface DecideAppealInput {
  nodeKey: string;
  verdict: AppealVerdict;
  /** Why, for the citizen: in their language at least. */
  explanation: Partial<Translations> & Record<string, string>;
  by: string;
}

export const fileAppealUpdate = defineUpdate<StepState, [FileAppealInput]>('fileAppeal');
export const decideAppealUpdate = defineUpdate<StepState, [DecideAppealInput]>('decideAppeal');
