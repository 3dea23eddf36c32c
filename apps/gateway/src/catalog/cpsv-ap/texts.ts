import type { Language, LegalBasisType, StepKind, Translations } from '@levensloop/domain';

/** A text per language, built from the names the catalogue holds in that language. */
type Texts = Record<Language, (...names: string[]) => string>;

/**
 * A step has titles but no description, while CPSV-AP makes dct:description mandatory: each
 * service says in plain language who handles it and what the person does, from its kind.
 */
export const SERVICE_DESCRIPTION: Record<StepKind, Texts> = {
  automatic: {
    nl: (title, agency) => `${title}: ${agency} handelt dit automatisch af. U hoeft er niets voor te doen.`,
    fr: (title, agency) => `${title} : ${agency} s'en occupe automatiquement. Vous n'avez rien à faire.`,
    de: (title, agency) => `${title}: ${agency} erledigt dies automatisch. Sie müssen nichts tun.`,
    en: (title, agency) => `${title}: ${agency} handles this automatically. You need not do anything.`,
  },
  caseworker: {
    nl: (title, agency) => `${title}: een medewerker van ${agency} behandelt dit. U volgt het online.`,
    fr: (title, agency) => `${title} : un agent de ${agency} s'en occupe. Vous suivez le dossier en ligne.`,
    de: (title, agency) => `${title}: eine Sachbearbeiterin oder ein Sachbearbeiter von ${agency} bearbeitet dies. Sie verfolgen es online.`,
    en: (title, agency) => `${title}: a caseworker of ${agency} handles this. You follow it online.`,
  },
  citizen: {
    nl: (title, agency) => `${title}: u doet dit zelf online; ${agency} verwerkt het.`,
    fr: (title, agency) => `${title} : vous le faites vous-même en ligne ; ${agency} le traite.`,
    de: (title, agency) => `${title}: Sie erledigen dies selbst online; ${agency} bearbeitet es.`,
    en: (title, agency) => `${title}: you do this yourself online; ${agency} processes it.`,
  },
  decision: {
    nl: (title, agency) => `${title}: ${agency} beslist volgens een vaste regel. U krijgt de beslissing met uitleg.`,
    fr: (title, agency) => `${title} : ${agency} décide selon une règle fixe. Vous recevez la décision avec son explication.`,
    de: (title, agency) => `${title}: ${agency} entscheidet nach einer festen Regel. Sie erhalten die Entscheidung mit Begründung.`,
    en: (title, agency) => `${title}: ${agency} decides by a fixed rule. You get the decision with its explanation.`,
  },
  appointment: {
    nl: (title, agency) => `${title}: u kiest online een moment in de agenda van ${agency} en komt op afspraak (of ${agency} komt bij u).`,
    fr: (title, agency) => `${title} : vous choisissez en ligne un moment dans l'agenda de ${agency} et venez au rendez-vous (ou ${agency} vient chez vous).`,
    de: (title, agency) => `${title}: Sie wählen online einen Termin im Kalender von ${agency} und kommen zum Termin (oder ${agency} kommt zu Ihnen).`,
    en: (title, agency) => `${title}: you choose a time in the calendar of ${agency} online and come to the appointment (or ${agency} comes to you).`,
  },
  payment: {
    nl: (title, agency) => `${title}: u betaalt online, met een betaallink van ${agency}. U krijgt een bevestiging.`,
    fr: (title, agency) => `${title} : vous payez en ligne, avec un lien de paiement de ${agency}. Vous recevez une confirmation.`,
    de: (title, agency) => `${title}: Sie zahlen online, mit einem Zahlungslink von ${agency}. Sie erhalten eine Bestätigung.`,
    en: (title, agency) => `${title}: you pay online, with a payment link from ${agency}. You get a confirmation.`,
  },
};

/** An evidence is a field of an authentic source, read by the engine (once-only). */
export const EVIDENCE_DESCRIPTION: Texts = {
  nl: (field, source) => `${field}, gelezen uit ${source}. U hoeft dit niet zelf te bezorgen.`,
  fr: (field, source) => `${field}, lu dans ${source}. Vous ne devez pas le fournir vous-même.`,
  de: (field, source) => `${field}, gelesen aus ${source}. Sie müssen dies nicht selbst liefern.`,
  en: (field, source) => `${field}, read from ${source}. You need not provide it yourself.`,
};

/** The name of a requirement and of its evidence: the field and the source it comes from. */
export const FIELD_FROM_SOURCE: Texts = {
  nl: (field, source) => `${field} (${source})`,
  fr: (field, source) => `${field} (${source})`,
  de: (field, source) => `${field} (${source})`,
  en: (field, source) => `${field} (${source})`,
};

export const LEGAL_BASIS_LABEL: Record<LegalBasisType, Translations> = {
  law: { nl: 'Wettelijke grondslag', fr: 'Base légale', de: 'Rechtsgrundlage', en: 'Legal basis in law' },
  deliberation: { nl: 'Beraadslaging van de gegevensbeschermingsautoriteit', fr: "Délibération de l'autorité de protection des données", de: 'Beschluss der Datenschutzbehörde', en: 'Deliberation of the data protection authority' },
  consent: { nl: 'Uw toestemming', fr: 'Votre consentement', de: 'Ihre Einwilligung', en: 'Your consent' },
};

/** The channels every service is offered through: the web console and the public API. */
export const CHANNELS = {
  console: { nl: 'Online, in de webtoepassing: starten, opvolgen en uw taken doen.', fr: "En ligne, dans l'application web : démarrer, suivre et faire vos tâches.", de: 'Online, in der Webanwendung: starten, verfolgen und Ihre Aufgaben erledigen.', en: 'Online, in the web application: start, follow and do your tasks.' },
  api: { nl: 'De open HTTP-API, voor toepassingen van derden.', fr: "L'API HTTP ouverte, pour les applications de tiers.", de: 'Die offene HTTP-API, für Anwendungen Dritter.', en: 'The open HTTP API, for third-party applications.' },
} satisfies Record<string, Translations>;
