import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { LANGUAGES, type Language, type Translations } from '@levensloop/domain';
import { SOURCE_CATALOG } from '@levensloop/sources';
import { PageQueryDto } from '../common/paging';
import { ProblemException } from '../common/problem';

/**
 * What the transparency endpoints share: the reader's language, titles of sources and fields,
 * legal bases explained in plain words, and keyset cursors.
 */

export class LanguageQuery {
  @ApiPropertyOptional({ enum: LANGUAGES, description: 'The language of purposes and explanations; else Accept-Language, else nl.' })
  @IsOptional()
  @IsIn(LANGUAGES as unknown as string[], { message: `lang must be one of ${LANGUAGES.join(', ')}` })
  lang?: Language;
}

export class PageQuery extends IntersectionType(LanguageQuery, PageQueryDto) {}

/** `?lang=` wins; then the first supported language of Accept-Language by weight; then Dutch. */
export function readerLanguage(lang: string | undefined, acceptLanguage: string | undefined): Language {
  if (lang && (LANGUAGES as readonly string[]).includes(lang)) return lang as Language;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((x) => x.q > 0 && (LANGUAGES as readonly string[]).includes(x.lang))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked[0]?.lang as Language | undefined) ?? 'nl';
}

export const tr = (texts: Partial<Translations> | null | undefined, lang: Language): string | undefined =>
  texts ? (texts[lang] ?? texts.nl) : undefined;

/** Where data was read that is not a register: a journey's history in Temporal, read through the codec server by an auditor. */
const OTHER_SOURCES: Record<string, Translations> = {
  'temporal-history': {
    nl: 'Verloop van het dossier in het procesplatform',
    fr: 'Déroulement du dossier dans la plateforme de traitement',
    de: 'Verlauf der Akte in der Prozessplattform',
    en: "The file's history in the process platform",
  },
  dossier: {
    nl: 'Uw dossier, gedownload',
    fr: 'Votre dossier, téléchargé',
    de: 'Ihre Akte, heruntergeladen',
    en: 'Your file, downloaded',
  },
  documents: {
    nl: 'Documenten die bij het dossier werden bezorgd',
    fr: 'Documents remis pour le dossier',
    de: 'Für die Akte eingereichte Dokumente',
    en: 'Documents given for the file',
  },
};

/** A source and its field with titles from the source catalog; unknown ones keep their key as title. */
export function describeField(source: string, field: string, lang: Language) {
  const s = SOURCE_CATALOG[source];
  const other = OTHER_SOURCES[source];
  return {
    id: `${source}/${field}`,
    source,
    sourceTitle: s ? tr(s.titles, lang)! : other ? tr(other, lang)! : source,
    field,
    title: s?.fields[field] ? tr(s.fields[field].titles, lang)! : s?.evidence?.[field] ? tr(s.evidence[field].titles, lang)! : field,
  };
}

/** Splits `source/field` at the first slash (field paths use dots, never slashes). */
export function splitFieldId(id: string): { source: string; field: string } | undefined {
  const at = id.indexOf('/');
  if (at <= 0 || at === id.length - 1) return undefined;
  return { source: id.slice(0, at), field: id.slice(at + 1) };
}

const BASIS_TEXT: Record<string, Translations> = {
  law: {
    nl: 'Een wet staat dit toe: {ref}.',
    fr: 'Une loi le permet : {ref}.',
    de: 'Ein Gesetz erlaubt dies: {ref}.',
    en: 'A law allows this: {ref}.',
  },
  deliberation: {
    nl: 'De toezichthouder op gegevensbescherming heeft dit toegestaan: {ref}.',
    fr: "L'autorité de contrôle de la protection des données l'a autorisé : {ref}.",
    de: 'Die Datenschutzaufsicht hat dies erlaubt: {ref}.',
    en: 'The data protection authority allowed this: {ref}.',
  },
  consent: {
    nl: 'U (of wie u vertegenwoordigt) gaf hiervoor toestemming: {ref}. U kunt die toestemming intrekken.',
    fr: 'Vous (ou votre représentant) avez donné votre consentement : {ref}. Vous pouvez le retirer.',
    de: 'Sie (oder Ihr Vertreter) haben eingewilligt: {ref}. Sie können die Einwilligung widerrufen.',
    en: 'You (or whoever represents you) consented to this: {ref}. You can withdraw that consent.',
  },
  upload: {
    nl: 'Het document werd voor deze stap bezorgd, om ze te behandelen: {ref}.',
    fr: "Le document a été remis pour cette étape, afin de la traiter : {ref}.",
    de: 'Das Dokument wurde für diesen Schritt eingereicht, um ihn zu bearbeiten: {ref}.',
    en: 'The document was given for this step, to handle it: {ref}.',
  },
  none: {
    nl: 'Er was geen rechtsgrond: de toegang werd geweigerd ({ref}).',
    fr: "Il n'y avait pas de base légale : l'accès a été refusé ({ref}).",
    de: 'Es gab keine Rechtsgrundlage: Der Zugriff wurde verweigert ({ref}).',
    en: 'There was no legal basis: access was refused ({ref}).',
  },
};

/** The legal basis as stored, plus a sentence that explains it to a citizen. */
export function explainLegalBasis(basis: { type?: string; reference?: string } | null, lang: Language) {
  const type = basis?.type ?? 'none';
  const reference = basis?.reference ?? '';
  const text = tr(BASIS_TEXT[type] ?? BASIS_TEXT.none, lang)!.replace('{ref}', reference);
  return { type, reference, explanation: text };
}

/**
 * Keyset cursors: (timestamp, id) of the last row, opaque to the caller. The timestamp is the
 * database's own text with microseconds: rounded to milliseconds, a page could skip rows.
 */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify({ a: at, i: id })).toString('base64url');
}

export function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const { a, i } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof a !== 'string' || Number.isNaN(Date.parse(a)) || typeof i !== 'string' || !/^\d{1,19}$/.test(i)) throw new Error();
    return { at: a, id: i };
  } catch {
    throw new ProblemException(400, 'The cursor is not one this API gave out; pass nextCursor from the previous page unchanged.', { slug: 'invalid-cursor' });
  }
}

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
