import { taskIdOf, type Language, type TimelineEvent } from '@levensloop/domain';
import { renderText } from './templates';

/**
 * What an agency's supervisors are told: a step of their agency passed its escalation point (its
 * service norm's `escalate`). The journey projection files one notice per escalated step, in the
 * statement that records the escalation; supervisors read them in their language.
 */
export const SUPERVISOR_NOTICE_KINDS = ['task.escalated'] as const;
export type SupervisorNoticeKind = (typeof SUPERVISOR_NOTICE_KINDS)[number];

/** The notice a timeline event files for the supervisors, if any: keyed once per step. */
export function supervisorNoticeOf(journeyId: string, e: Pick<TimelineEvent, 'type' | 'step'>): { kind: SupervisorNoticeKind; dedupKey: string; taskId: string } | undefined {
  if (e.type !== 'step.escalated' || !e.step) return undefined;
  return { kind: 'task.escalated', dedupKey: `${journeyId}/${e.step}/escalated`, taskId: taskIdOf(journeyId, e.step) };
}

/** Short texts in plain language; `{{stepTitle}}`, `{{journeyTitle}}`, `{{dueDate}}` filled in. */
const TEXTS: Record<SupervisorNoticeKind, Record<Language, { subject: string; body: string }>> = {
  'task.escalated': {
    nl: {
      subject: 'Escalatie: {{stepTitle}}',
      body: 'De stap "{{stepTitle}}" in het dossier "{{journeyTitle}}" is te laat{{#dueDate}} (moest klaar zijn op {{dueDate}}){{/dueDate}}. Bekijk de taak en wijs ze zo nodig toe aan een medewerker of een team.',
    },
    fr: {
      subject: 'Escalade : {{stepTitle}}',
      body: "L'étape « {{stepTitle}} » du dossier « {{journeyTitle}} » est en retard{{#dueDate}} (échéance : {{dueDate}}){{/dueDate}}. Consultez la tâche et, si nécessaire, attribuez-la à un agent ou à une équipe.",
    },
    de: {
      subject: 'Eskalation: {{stepTitle}}',
      body: 'Der Schritt „{{stepTitle}}" in der Akte „{{journeyTitle}}" ist verspätet{{#dueDate}} (fällig am {{dueDate}}){{/dueDate}}. Sehen Sie sich die Aufgabe an und weisen Sie sie bei Bedarf einer Sachbearbeiterin, einem Sachbearbeiter oder einem Team zu.',
    },
    en: {
      subject: 'Escalation: {{stepTitle}}',
      body: 'The step "{{stepTitle}}" in the file "{{journeyTitle}}" is late{{#dueDate}} (it was due on {{dueDate}}){{/dueDate}}. Look at the task and, if needed, reassign it to a caseworker or a team.',
    },
  },
};

const DATE_LOCALES: Record<Language, string> = { nl: 'nl-BE', fr: 'fr-BE', de: 'de-BE', en: 'en-GB' };

/** A notice's subject and text in the language asked (titles fall back to Dutch). */
export function renderSupervisorNotice(
  kind: SupervisorNoticeKind,
  language: Language,
  values: { stepTitle: Partial<Record<Language, string>>; journeyTitle: Partial<Record<Language, string>>; dueAt?: string | null },
): { subject: string; body: string } {
  const text = TEXTS[kind][language];
  const dueDate = values.dueAt ? new Date(values.dueAt).toLocaleDateString(DATE_LOCALES[language], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Brussels' }) : '';
  const filled = {
    stepTitle: values.stepTitle[language] ?? values.stepTitle.nl ?? '',
    journeyTitle: values.journeyTitle[language] ?? values.journeyTitle.nl ?? '',
    dueDate,
  };
  return { subject: renderText(text.subject, filled), body: renderText(text.body, filled) };
}
