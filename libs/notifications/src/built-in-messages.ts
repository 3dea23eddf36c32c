import type { Language } from '@levensloop/domain';
import type { NotificationCategory } from './categories';
import type { NotificationTemplate } from './templates';

/**
 * What the built-in message modules (legal clock, information due, objection, appeal) share: the
 * fields every message may use, the shape of a text, and the values a step's term messages add.
 */

export const COMMON_FIELDS = ['recipientName', 'subjectName', 'journeyTitle', 'dossierNumber', 'link'] as const;

export type BuiltInText = Omit<NotificationTemplate, 'category' | 'language'>;
export type BuiltInTemplates = Record<string, Record<Language, BuiltInText>>;

/**
 * For a category of `categories`: what is asked (`question`) and the term's new date (`newDueDate`,
 * formatted from the event's `dueKey`); nothing for other categories.
 */
export function questionAndNewDate(
  categories: Record<string, NotificationCategory>,
  dueKey: string,
): (category: string, data: Record<string, unknown> | null, formatDate: (iso: string) => string) => Record<string, string> {
  return (category, data, formatDate): Record<string, string> => {
    if (!categories[category]) return {};
    const due = data?.[dueKey];
    return {
      question: typeof data?.question === 'string' ? data.question : '',
      newDueDate: typeof due === 'string' ? formatDate(due) : '',
    };
  };
}
