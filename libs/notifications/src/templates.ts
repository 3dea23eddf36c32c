import Mustache from 'mustache';
import { LANGUAGES, type Language } from '@levensloop/domain';
import { categoryOf, MESSAGE_CATEGORIES } from './categories';

/**
 * A template per category and language: a subject, a body (e-mail, e-counter and letter) and a
 * short text for SMS, with Mustache placeholders (`{{journeyTitle}}`; values are escaped in HTML).
 */
export interface NotificationTemplate {
  category: string;
  language: Language;
  subject: string;
  body: string;
  sms: string;
}

export interface TemplateProblem {
  path: string;
  message: string;
}

const MAX = { subject: 200, body: 10_000, sms: 480 } as const;

/** The names a template text reads (`{{name}}`, `{{{name}}}`, sections and inverted sections). */
export function placeholdersOf(text: string): string[] {
  const names = new Set<string>();
  const walk = (tokens: unknown[]) => {
    for (const token of tokens as Array<[string, string, number, number, unknown[]?]>) {
      const [kind, name, , , children] = token;
      if (kind === 'name' || kind === '&' || kind === '#' || kind === '^') names.add(name);
      if (Array.isArray(children)) walk(children);
    }
  };
  walk(Mustache.parse(text));
  return [...names];
}

/** Everything wrong with a template, each at a JSON pointer: unknown category or language, bad text, unknown placeholders. */
export function validateTemplate(input: Partial<NotificationTemplate>): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const category = typeof input.category === 'string' ? categoryOf(input.category) : undefined;
  if (!category) {
    problems.push({ path: '/category', message: `unknown category ${JSON.stringify(input.category)}; use one of ${Object.keys(MESSAGE_CATEGORIES).join(', ')}` });
  }
  if (!(LANGUAGES as readonly string[]).includes(input.language as string)) {
    problems.push({ path: '/language', message: `language must be one of ${LANGUAGES.join(', ')}` });
  }
  for (const part of ['subject', 'body', 'sms'] as const) {
    const text = input[part];
    if (typeof text !== 'string' || !text.trim() || text.length > MAX[part]) {
      problems.push({ path: `/${part}`, message: `${part} must be a non-empty text of at most ${MAX[part]} characters` });
      continue;
    }
    let names: string[];
    try {
      names = placeholdersOf(text);
    } catch (err) {
      problems.push({ path: `/${part}`, message: `the template does not parse: ${(err as Error).message}` });
      continue;
    }
    if (!category) continue;
    const unknown = names.filter((n) => !category.fields.includes(n));
    if (unknown.length) {
      problems.push({
        path: `/${part}`,
        message: `unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `{{${n}}}`).join(', ')}; a ${category.key} notification provides ${category.fields.map((f) => `{{${f}}}`).join(', ')}`,
      });
    }
  }
  return problems;
}

/** Renders one template part with the category's values (HTML-escaped only for `html`). */
export function renderText(text: string, values: Record<string, unknown>, html = false): string {
  return html ? Mustache.render(text, values) : Mustache.render(text, values, undefined, { escape: (v: unknown) => String(v) });
}
