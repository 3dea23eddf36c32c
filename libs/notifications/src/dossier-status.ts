import type { Language, Translations } from '@levensloop/domain';
import type { DossierStatusCode } from './categories';

export interface DossierStepView {
  kind: string;
  status: string;
  title: Translations;
}

export interface DossierView {
  journeyStatus: string;
  steps: DossierStepView[];
  /** Titles of the steps with an open task for the citizen (a task, a consent or data). */
  citizenTasks: Translations[];
}

const UNDER_WAY = new Set(['running', 'waiting', 'needs_attention']);
const DONE = new Set(['completed', 'skipped']);

export const pick = (t: Translations | undefined, lang: Language): string => (t ? (t[lang] ?? t.nl) : '');

/**
 * One status code per journey from the read model (the e-counter's code list): stopped and
 * completed from the journey; action_needed while the citizen has an open task; decided when a
 * decision was made and nothing else is under way; received until any step got done; otherwise in_progress.
 */
export function dossierStatusCode(view: DossierView): DossierStatusCode {
  if (view.journeyStatus === 'cancelled') return 'stopped';
  if (view.journeyStatus === 'completed') return 'completed';
  if (view.citizenTasks.length) return 'action_needed';
  const underWay = view.steps.some((s) => UNDER_WAY.has(s.status));
  if (!underWay && view.steps.some((s) => s.kind === 'decision' && s.status === 'completed')) return 'decided';
  const started = view.steps.some((s) => DONE.has(s.status) || (s.status === 'waiting' && s.kind !== 'automatic') || s.status === 'needs_attention');
  return started ? 'in_progress' : 'received';
}

/** The phase: the titles of the steps under way, in the reader's language. */
export function dossierPhase(view: DossierView, lang: Language): string {
  return view.steps
    .filter((s) => UNDER_WAY.has(s.status))
    .map((s) => pick(s.title, lang))
    .join(', ');
}

const ACTION_TEXT: Record<Language, string> = {
  nl: 'Wij hebben iets van u nodig',
  fr: 'Nous avons besoin de vous',
  de: 'Wir brauchen etwas von Ihnen',
  en: 'We need something from you',
};

export function dossierActionNeeded(view: DossierView, lang: Language): { flag: boolean; text?: string } {
  if (!view.citizenTasks.length) return { flag: false };
  return { flag: true, text: `${ACTION_TEXT[lang]}: ${view.citizenTasks.map((t) => pick(t, lang)).join(', ')}` };
}
