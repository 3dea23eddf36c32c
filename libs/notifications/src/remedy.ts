import type { Language, Translations } from '@levensloop/domain';
import { pick } from './dossier-status';

/**
 * The remedy a decision's message names (the "beroepsclausule"): that the citizen may object (or,
 * after an upheld objection, appeal), until when, where (the journey's page) and with which agency
 * when it is not the one that decided. The term end comes from the timeline event's detail
 * (`remedy`, recorded by the workflow: workflows/src/journey/remedy.ts); no detail, no remedy.
 */
export const REMEDY_CATEGORIES = new Set(['decision.made', 'objection.decided']);

/** The template fields: `remedy` the paragraph, `remedyShort` one sentence (SMS), `remedyUntil` the last day. */
export const REMEDY_FIELDS = ['remedy', 'remedyShort', 'remedyUntil'] as const;

interface Remedy {
  kind: 'objection' | 'appeal';
  until: string;
  agency?: string;
}

function remedyOf(data: Record<string, unknown> | null): Remedy | undefined {
  const r = data?.remedy as Partial<Remedy> | undefined;
  if (!r || typeof r !== 'object' || typeof r.until !== 'string' || Number.isNaN(Date.parse(r.until))) return undefined;
  return { kind: r.kind === 'appeal' ? 'appeal' : 'objection', until: r.until, ...(typeof r.agency === 'string' ? { agency: r.agency } : {}) };
}

const LOCALE: Record<Language, string> = { nl: 'nl-BE', fr: 'fr-BE', de: 'de-BE', en: 'en-GB' };
const time = (iso: string, lang: Language) => new Date(iso).toLocaleTimeString(LOCALE[lang], { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Brussels' });

type Say = (until: string, at: string, link: string) => string;
const TEXT: Record<Remedy['kind'], Record<Language, { long: Say; short: (until: string) => string; agency: (name: string) => string }>> = {
  objection: {
    nl: {
      long: (until, at, link) => `Bent u het niet eens met deze beslissing? Dan kunt u bezwaar maken tot ${until} om ${at}. Dat doet u op de pagina van uw dossier: ${link}`,
      short: (until) => `Niet akkoord? Bezwaar kan tot ${until}.`,
      agency: (name) => `${name} bekijkt uw bezwaar.`,
    },
    fr: {
      long: (until, at, link) => `Vous n'êtes pas d'accord avec cette décision ? Vous pouvez introduire une réclamation jusqu'au ${until} à ${at}. Faites-le sur la page de votre dossier : ${link}`,
      short: (until) => `Pas d'accord ? Réclamation possible jusqu'au ${until}.`,
      agency: (name) => `${name} examine votre réclamation.`,
    },
    de: {
      long: (until, at, link) => `Sind Sie mit dieser Entscheidung nicht einverstanden? Dann können Sie bis zum ${until} um ${at} Uhr Widerspruch einlegen. Das tun Sie auf der Seite Ihrer Akte: ${link}`,
      short: (until) => `Nicht einverstanden? Widerspruch bis zum ${until}.`,
      agency: (name) => `${name} prüft Ihren Widerspruch.`,
    },
    en: {
      long: (until, at, link) => `Do you disagree with this decision? You can object until ${at} on ${until}. Do this on your file's page: ${link}`,
      short: (until) => `Disagree? You can object until ${until}.`,
      agency: (name) => `${name} will look at your objection.`,
    },
  },
  appeal: {
    nl: {
      long: (until, at, link) => `Bent u het nog altijd niet eens? Dan kunt u in beroep gaan tot ${until} om ${at}. Dat doet u op de pagina van uw dossier: ${link}`,
      short: (until) => `Nog altijd niet akkoord? Beroep kan tot ${until}.`,
      agency: (name) => `${name} behandelt uw beroep.`,
    },
    fr: {
      long: (until, at, link) => `Vous n'êtes toujours pas d'accord ? Vous pouvez introduire un recours jusqu'au ${until} à ${at}. Faites-le sur la page de votre dossier : ${link}`,
      short: (until) => `Toujours pas d'accord ? Recours possible jusqu'au ${until}.`,
      agency: (name) => `${name} traite votre recours.`,
    },
    de: {
      long: (until, at, link) => `Sind Sie weiterhin nicht einverstanden? Dann können Sie bis zum ${until} um ${at} Uhr Beschwerde einlegen. Das tun Sie auf der Seite Ihrer Akte: ${link}`,
      short: (until) => `Weiterhin nicht einverstanden? Beschwerde bis zum ${until}.`,
      agency: (name) => `${name} bearbeitet Ihre Beschwerde.`,
    },
    en: {
      long: (until, at, link) => `Do you still disagree? You can appeal until ${at} on ${until}. Do this on your file's page: ${link}`,
      short: (until) => `Still disagree? You can appeal until ${until}.`,
      agency: (name) => `${name} will handle your appeal.`,
    },
  },
};

/**
 * The remedy's template values for a decision's message, empty strings when it names none (a
 * decision whose step declares no objection term keeps its text exactly).
 */
export function remedyValues(
  category: string,
  data: Record<string, unknown> | null,
  lang: Language,
  link: string,
  formatDate: (iso: string) => string,
  agencyNames?: Translations | null,
): Record<string, string> {
  if (!REMEDY_CATEGORIES.has(category)) return {};
  const remedy = remedyOf(data);
  if (!remedy) return { remedy: '', remedyShort: '', remedyUntil: '' };
  const say = TEXT[remedy.kind][lang];
  const until = formatDate(remedy.until);
  const agency = remedy.agency ? pick(agencyNames ?? undefined, lang) || remedy.agency : '';
  return {
    remedy: [say.long(until, time(remedy.until, lang), link), agency && say.agency(agency)].filter(Boolean).join('\n'),
    remedyShort: say.short(until),
    remedyUntil: until,
  };
}

const USES_REMEDY = /\{\{\s*[#^&]?\s*remedy/;

/**
 * A registered template that names no remedy still tells it: the paragraph after its body and the
 * sentence after its SMS (a decision must name its remedy, whatever an agency's template says).
 */
export function withRemedy<T extends { body: string; sms: string }>(template: T, category: string): T {
  if (!REMEDY_CATEGORIES.has(category)) return template;
  return {
    ...template,
    body: USES_REMEDY.test(template.body) ? template.body : `${template.body}{{#remedy}}\n\n{{remedy}}{{/remedy}}`,
    sms: USES_REMEDY.test(template.sms) ? template.sms : `${template.sms}{{#remedyShort}} {{remedyShort}}{{/remedyShort}}`,
  };
}
