import { referralDecisionOf, type Language, type StepKind, type TimelineEvent } from '@levensloop/domain';

/**
 * A decision the rule referred to a caseworker is told when the caseworker decides, as an
 * automatic one is: the completion of the decision step's task (`step.completed` grants,
 * `step.rejected` refuses; referralDecisionOf) files `decision.made`, with the outcome, the
 * caseworker's explanation instead of the rule's ("a caseworker will look at your file" no longer
 * holds), and the remedy the workflow recorded with it (workflows/src/journey/referral-decision.ts).
 */
export function referralCategoryOf(e: Pick<TimelineEvent, 'type' | 'detail'>, stepKind: StepKind | undefined): 'decision.made' | undefined {
  return referralDecisionOf(e, stepKind) ? 'decision.made' : undefined;
}

const DECIDED: Record<Language, { alone: string; said: (comment: string) => string }> = {
  nl: { alone: 'Een medewerker heeft uw dossier bekeken en deze beslissing genomen.', said: (c) => `Een medewerker heeft uw dossier bekeken en deze beslissing genomen. De medewerker schrijft: ${c}` },
  fr: { alone: 'Un collaborateur a examiné votre dossier et a pris cette décision.', said: (c) => `Un collaborateur a examiné votre dossier et a pris cette décision. Son explication : ${c}` },
  de: { alone: 'Ein Sachbearbeiter hat Ihre Akte geprüft und diese Entscheidung getroffen.', said: (c) => `Ein Sachbearbeiter hat Ihre Akte geprüft und diese Entscheidung getroffen. Begründung: ${c}` },
  en: { alone: 'A caseworker looked at your file and made this decision.', said: (c) => `A caseworker looked at your file and made this decision. They write: ${c}` },
};

/**
 * The explanation of a referred decision's message: that a caseworker decided, with their comment
 * (what they wrote when completing the task, which the citizen also reads with the decision).
 * Undefined for every other message: the rule's explanation applies.
 */
export function referralExplanation(category: string, data: Record<string, unknown> | null, lang: Language): string | undefined {
  if (category !== 'decision.made' || data?.referred !== true) return undefined;
  const comment = typeof data.comment === 'string' ? data.comment.trim() : '';
  return comment ? DECIDED[lang].said(comment) : DECIDED[lang].alone;
}
