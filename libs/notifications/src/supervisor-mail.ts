import type { Language, TimelineEvent } from '@levensloop/domain';
import type { NotificationCategory } from './categories';
import { supervisorNoticeOf } from './supervisor-notices';
import type { NotificationTemplate } from './templates';

/**
 * Escalation that reaches a person: besides the notice in their console (supervisor-notices.ts),
 * each supervisor of the step's agency (and of its team, when its task is in a team's queue) gets
 * an e-mail in their language, through the outbox every message takes. The projection files one
 * message per escalated step, under the notice's key (once per escalation); the dispatcher's
 * fan-out sends it to the agency's supervisor contacts (`supervisor_contacts`), not to the citizen.
 */
export const SUPERVISOR_MAIL_CATEGORIES: Record<string, NotificationCategory> = {
  'task.escalated': {
    key: 'task.escalated',
    titles: { nl: 'Escalatie van een taak', fr: "Escalade d'une tâche", de: 'Eskalation einer Aufgabe', en: 'A task was escalated' },
    fields: ['journeyTitle', 'dossierNumber', 'stepTitle', 'agencyName', 'dueDate', 'link'],
    actionNeeded: false,
    // An agency may word its supervisors' e-mails itself.
    scope: 'step',
  },
};

/** Messages to an agency's supervisors, not to the citizen: fanned out to supervisor contacts, by e-mail. */
export const SUPERVISOR_MAIL_CATEGORY_KEYS: readonly string[] = Object.keys(SUPERVISOR_MAIL_CATEGORIES);

export const isSupervisorMail = (category: string): boolean => SUPERVISOR_MAIL_CATEGORY_KEYS.includes(category);

/** The message an escalation files for the supervisors: keyed as its notice, so once per escalated step. */
export function supervisorMailOf(journeyId: string, e: Pick<TimelineEvent, 'type' | 'step'>): { category: string; dedupKey: string } | undefined {
  const notice = supervisorNoticeOf(journeyId, e);
  return notice ? { category: notice.kind, dedupKey: `${notice.dedupKey}/mail` } : undefined;
}

/** Where a message leads: the console's supervision page for supervisors, else the citizen's file. */
export function messageLink(citizenWebUrl: string, category: string, journeyId: string): string {
  return isSupervisorMail(category) ? `${citizenWebUrl}/supervision` : `${citizenWebUrl}/journeys/${journeyId}`;
}

type Text = Omit<NotificationTemplate, 'category' | 'language'>;

export const SUPERVISOR_MAIL_TEMPLATES: Record<string, Record<Language, Text>> = {
  'task.escalated': {
    nl: {
      subject: 'Escalatie: {{stepTitle}}',
      body: 'Beste,\n\nDe stap "{{stepTitle}}" in het dossier "{{journeyTitle}}" ({{dossierNumber}}) is te laat{{#dueDate}} (moest klaar zijn op {{dueDate}}){{/dueDate}}.\nBekijk de taak en wijs ze zo nodig toe aan een medewerker of een team.\n\nGa naar {{link}}',
      sms: 'Escalatie: {{stepTitle}} in "{{journeyTitle}}". Ga naar {{link}}',
    },
    fr: {
      subject: 'Escalade : {{stepTitle}}',
      body: "Bonjour,\n\nL'étape « {{stepTitle}} » du dossier « {{journeyTitle}} » ({{dossierNumber}}) est en retard{{#dueDate}} (échéance : {{dueDate}}){{/dueDate}}.\nConsultez la tâche et, si nécessaire, attribuez-la à un agent ou à une équipe.\n\nRendez-vous sur {{link}}",
      sms: 'Escalade : {{stepTitle}} dans « {{journeyTitle}} ». Voir {{link}}',
    },
    de: {
      subject: 'Eskalation: {{stepTitle}}',
      body: 'Guten Tag,\n\nder Schritt „{{stepTitle}}" in der Akte „{{journeyTitle}}" ({{dossierNumber}}) ist verspätet{{#dueDate}} (fällig am {{dueDate}}){{/dueDate}}.\nSehen Sie sich die Aufgabe an und weisen Sie sie bei Bedarf einer Sachbearbeiterin, einem Sachbearbeiter oder einem Team zu.\n\nGehen Sie zu {{link}}',
      sms: 'Eskalation: {{stepTitle}} in „{{journeyTitle}}". Siehe {{link}}',
    },
    en: {
      subject: 'Escalation: {{stepTitle}}',
      body: 'Hello,\n\nThe step "{{stepTitle}}" in the file "{{journeyTitle}}" ({{dossierNumber}}) is late{{#dueDate}} (it was due on {{dueDate}}){{/dueDate}}.\nLook at the task and, if needed, reassign it to a caseworker or a team.\n\nGo to {{link}}',
      sms: 'Escalation: {{stepTitle}} in "{{journeyTitle}}". Go to {{link}}',
    },
  },
};
