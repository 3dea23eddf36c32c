/** The journey's objection updates: file an objection against a decision, and review it. */
import { defineUpdate } from '@temporalio/workflow';
import type { ObjectionVerdict, StepState, Translations } from '@levensloop/domain';

/** The subject or a mandate holder objects to a final decision (the gateway checked who may). */
export interface FileObjectionInput {
  nodeKey: string;
  reason: string;
  by: string;
}

/** A caseworker of the reviewing agency (not the one who decided) upholds or revises the decision. */
export interface ReviewObjectionInput {
  nodeKey: string;
  verdict: ObjectionVerdict;
  /** Why, for the citizen: in their language at least. */
  explanation: Partial<Translations> & Record<string, string>;
  by: string;
}

export const fileObjectionUpdate = defineUpdate<StepState, [FileObjectionInput]>('fileObjection');
export const reviewObjectionUpdate = defineUpdate<StepState, [ReviewObjectionInput]>('reviewObjection');
