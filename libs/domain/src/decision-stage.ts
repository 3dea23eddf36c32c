import type { DecisionOutcome, Translations } from './model';
import { LANGUAGES } from './model';

/**
 * An objection (./objections) and an appeal (./appeals) run the same course against a decision:
 * filed within a term with a reason, then closed once by a caseworker's verdict with an
 * explanation for the citizen. What they share is here; each names it its own way.
 */

export const STAGE_STATUSES = ['filed', 'upheld', 'revised'] as const;

/** The decision stands, or becomes a grant or a refusal. */
export const STAGE_VERDICTS = ['uphold', 'grant', 'deny'] as const;

/** A stage as the decision step keeps it, before its own agency and closer. */
export interface FiledState<Status, Verdict> {
  status: Status;
  by: string;
  reason: string;
  filedAt: string;
  termEndsAt: string;
  /** The decision's outcome it is against. */
  against: DecisionOutcome;
  verdict?: Verdict;
  explanation?: Translations;
}

export interface StageFiling {
  nodeKey: string;
  reason?: string;
  by: string;
}

export interface StageVerdict {
  nodeKey: string;
  verdict: string;
  explanation?: Partial<Record<string, string>>;
  by: string;
}

export const AGENCY_CODE = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const blank = (text: string | undefined) => !text?.trim();

/** Why a verdict is refused: not one of the verdicts. */
export function verdictError(verdict: string): string | undefined {
  return (STAGE_VERDICTS as readonly string[]).includes(verdict) ? undefined : `verdict must be ${STAGE_VERDICTS.join(', ')}.`;
}

/** Why a verdict's explanation is refused: none, or none in a language of the citizen; `closing` names the act ("A review"). */
export function explanationError(explanation: StageVerdict['explanation'], closing: string): string | undefined {
  if (!explanation || typeof explanation !== 'object') return `${closing} needs an explanation for the citizen: { "nl": "…" } in their language.`;
  if (!Object.entries(explanation).some(([lang, text]) => (LANGUAGES as readonly string[]).includes(lang) && !blank(text))) return `${closing} needs an explanation for the citizen in at least one of nl, fr, de, en.`;
  return undefined;
}
