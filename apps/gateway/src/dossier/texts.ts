import type { Language } from '@levensloop/domain';

/**
 * The dossier's own words in nl, fr, de and en (plain language): headings, labels and the names
 * of statuses and outcomes. One row per text: [nl, fr, de, en].
 */
type Row = readonly [nl: string, fr: string, de: string, en: string];
const INDEX: Record<Language, number> = { nl: 0, fr: 1, de: 2, en: 3 };

const TEXTS = {
  title: ['Mijn dossier: {title}', 'Mon dossier : {title}', 'Meine Akte: {title}', 'My file: {title}'],
  intro: [
    'Dit is alles wat over dit dossier werd bijgehouden, zoals het op {date} stond: de stappen, de beslissingen met hun uitleg, de gegevens die werden gebruikt en wie ze las, de berichten die u kreeg en de documenten.',
    'Voici tout ce qui a été conservé sur ce dossier, tel qu’il était le {date} : les étapes, les décisions et leur explication, les données utilisées et qui les a lues, les messages reçus et les documents.',
    'Hier steht alles, was zu dieser Akte gespeichert wurde, Stand {date}: die Schritte, die Entscheidungen mit ihrer Begründung, die verwendeten Daten und wer sie gelesen hat, Ihre Nachrichten und die Dokumente.',
    'This is everything kept about this file, as it stood on {date}: the steps, the decisions and why, the data used and who read it, the messages you got and the documents.',
  ],
  // The journey
  journey: ['Het dossier', 'Le dossier', 'Die Akte', 'The file'],
  lifeEvent: ['Levensgebeurtenis', 'Événement de vie', 'Lebensereignis', 'Life event'],
  reference: ['Dossiernummer', 'Numéro de dossier', 'Aktenzeichen', 'File number'],
  subject: ['Over', 'Concerne', 'Betrifft', 'About'],
  status: ['Stand', 'État', 'Stand', 'Status'],
  started: ['Gestart op', 'Commencé le', 'Begonnen am', 'Started on'],
  ended: ['Afgerond op', 'Terminé le', 'Beendet am', 'Ended on'],
  cancelReason: ['Reden van stopzetting', 'Motif de l’arrêt', 'Grund für den Abbruch', 'Why it was stopped'],
  requestedBy: ['Opgevraagd door', 'Demandé par', 'Angefordert von', 'Asked for by'],
  'reader.subject': ['uzelf', 'vous-même', 'Sie selbst', 'yourself'],
  'reader.representative': ['iemand die u vertegenwoordigt', 'une personne qui vous représente', 'eine Person, die Sie vertritt', 'someone who represents you'],
  generatedAt: ['Gemaakt op', 'Établi le', 'Erstellt am', 'Made on'],
  // Sections
  steps: ['Stappen', 'Étapes', 'Schritte', 'Steps'],
  decisions: ['Beslissingen', 'Décisions', 'Entscheidungen', 'Decisions'],
  dataUsed: ['Gebruikte gegevens', 'Données utilisées', 'Verwendete Daten', 'Data used'],
  dataAccess: ['Wie uw gegevens las', 'Qui a lu vos données', 'Wer Ihre Daten gelesen hat', 'Who read your data'],
  messages: ['Berichten aan u', 'Messages qui vous ont été envoyés', 'Nachrichten an Sie', 'Messages sent to you'],
  documents: ['Documenten', 'Documents', 'Dokumente', 'Documents'],
  none: ['Nog niets.', 'Rien pour l’instant.', 'Noch nichts.', 'Nothing yet.'],
  truncated: [
    'Alleen de {count} meest recente staan hier; de volledige lijst staat in de app.',
    'Seuls les {count} plus récents figurent ici ; la liste complète est dans l’application.',
    'Hier stehen nur die {count} neuesten; die vollständige Liste finden Sie in der App.',
    'Only the {count} most recent are listed here; the full list is in the app.',
  ],
  // Labels
  agency: ['Instantie', 'Organisme', 'Behörde', 'Agency'],
  due: ['Uiterlijk op', 'Au plus tard le', 'Spätestens am', 'Due'],
  completed: ['Klaar op', 'Terminé le', 'Erledigt am', 'Completed on'],
  outcome: ['Resultaat', 'Résultat', 'Ergebnis', 'Outcome'],
  comment: ['Opmerking', 'Remarque', 'Bemerkung', 'Comment'],
  rule: ['Regel', 'Règle', 'Regel', 'Rule'],
  ruleVersion: ['{id}, versie {version}', '{id}, version {version}', '{id}, Version {version}', '{id}, version {version}'],
  decidedAt: ['Beslist op', 'Décidé le', 'Entschieden am', 'Decided on'],
  explanation: ['Uitleg', 'Explication', 'Begründung', 'Explanation'],
  override: ['Gewijzigd door een medewerker', 'Modifiée par un collaborateur', 'Von einem Sachbearbeiter geändert', 'Changed by a caseworker'],
  objection: ['Bezwaar', 'Réclamation', 'Widerspruch', 'Objection'],
  appeal: ['Beroep', 'Recours', 'Beschwerde', 'Appeal'],
  filedAt: ['Ingediend op', 'Introduit le', 'Eingereicht am', 'Filed on'],
  reason: ['Reden', 'Motif', 'Grund', 'Reason'],
  step: ['Stap', 'Étape', 'Schritt', 'Step'],
  field: ['Gegeven', 'Donnée', 'Angabe', 'Data'],
  source: ['Bron', 'Source', 'Quelle', 'Source'],
  origin: ['Hoe verkregen', 'Comment obtenue', 'Wie erhalten', 'How obtained'],
  purpose: ['Waarom', 'Pourquoi', 'Warum', 'Why'],
  legalBasis: ['Rechtsgrond', 'Base légale', 'Rechtsgrundlage', 'Legal basis'],
  when: ['Wanneer', 'Quand', 'Wann', 'When'],
  who: ['Wie', 'Qui', 'Wer', 'Who'],
  fields: ['Gegevens', 'Données', 'Daten', 'Data'],
  category: ['Soort bericht', 'Type de message', 'Art der Nachricht', 'Kind of message'],
  channel: ['Kanaal', 'Canal', 'Kanal', 'Channel'],
  subjectLine: ['Onderwerp', 'Objet', 'Betreff', 'Subject'],
  name: ['Naam', 'Nom', 'Name', 'Name'],
  type: ['Soort', 'Type', 'Typ', 'Type'],
  size: ['Grootte', 'Taille', 'Größe', 'Size'],
  pageOf: ['Pagina {page} van {pages}', 'Page {page} sur {pages}', 'Seite {page} von {pages}', 'Page {page} of {pages}'],
  // Journey statuses
  'journey.running': ['Loopt', 'En cours', 'Läuft', 'Running'],
  'journey.needs_attention': ['Loopt, een medewerker kijkt iets na', 'En cours, un collaborateur vérifie quelque chose', 'Läuft, ein Sachbearbeiter prüft etwas', 'Running, a caseworker is checking something'],
  'journey.completed': ['Afgerond', 'Terminé', 'Abgeschlossen', 'Completed'],
  'journey.cancelled': ['Stopgezet', 'Arrêté', 'Abgebrochen', 'Stopped'],
  'journey.compensating': ['Wordt stopgezet', 'En cours d’arrêt', 'Wird abgebrochen', 'Being stopped'],
  // Step statuses
  'step.pending': ['Nog niet gestart', 'Pas encore commencée', 'Noch nicht begonnen', 'Not started yet'],
  'step.running': ['Bezig', 'En cours', 'In Bearbeitung', 'In progress'],
  'step.waiting': ['Wacht op een antwoord', 'En attente d’une réponse', 'Wartet auf eine Antwort', 'Waiting for an answer'],
  'step.needs_attention': ['Een medewerker kijkt dit na', 'Un collaborateur vérifie', 'Ein Sachbearbeiter prüft das', 'A caseworker is checking this'],
  'step.completed': ['Klaar', 'Terminée', 'Erledigt', 'Done'],
  'step.skipped': ['Niet nodig', 'Pas nécessaire', 'Nicht nötig', 'Not needed'],
  'step.cancelled': ['Stopgezet', 'Arrêtée', 'Abgebrochen', 'Stopped'],
  // Step results
  'result.approved': ['Goedgekeurd', 'Approuvée', 'Genehmigt', 'Approved'],
  'result.rejected': ['Geweigerd', 'Refusée', 'Abgelehnt', 'Refused'],
  'result.done': ['Uitgevoerd', 'Effectuée', 'Ausgeführt', 'Carried out'],
  // Decision outcomes
  'decision.grant': ['Toegekend', 'Accordé', 'Bewilligt', 'Granted'],
  'decision.deny': ['Geweigerd', 'Refusé', 'Abgelehnt', 'Refused'],
  'decision.refer': ['Doorgestuurd naar een medewerker', 'Transmis à un collaborateur', 'An einen Sachbearbeiter weitergeleitet', 'Passed on to a caseworker'],
  // Objections and appeals
  'stage.filed': ['Wordt behandeld', 'En cours de traitement', 'Wird bearbeitet', 'Being handled'],
  'stage.upheld': ['De beslissing blijft', 'La décision est maintenue', 'Die Entscheidung bleibt', 'The decision stands'],
  'stage.revised': ['De beslissing werd gewijzigd', 'La décision a été modifiée', 'Die Entscheidung wurde geändert', 'The decision was changed'],
  // How data was obtained
  'origin.source': ['Uit een overheidsregister', 'D’un registre public', 'Aus einem Behördenregister', 'From a government register'],
  'origin.citizen': ['Door u gegeven', 'Fournie par vous', 'Von Ihnen angegeben', 'Given by you'],
  // Who read
  'actor.step': ['{agency}, voor de stap', '{agency}, pour l’étape', '{agency}, für den Schritt', '{agency}, for the step'],
  'actor.caseworker': ['Een medewerker van {agency}', 'Un collaborateur de {agency}', 'Ein Sachbearbeiter von {agency}', 'A caseworker of {agency}'],
  'actor.citizen': ['U of wie u vertegenwoordigt', 'Vous ou votre représentant', 'Sie oder Ihr Vertreter', 'You or whoever represents you'],
  'actor.auditor': ['Een auditor', 'Un auditeur', 'Ein Prüfer', 'An auditor'],
  'actor.engine': ['het platform', 'la plateforme', 'die Plattform', 'the platform'],
  // Outcomes of a read
  'access.requested': ['Gevraagd', 'Demandée', 'Angefragt', 'Asked'],
  'access.granted': ['Gelezen', 'Lue', 'Gelesen', 'Read'],
  'access.refused': ['Geweigerd', 'Refusée', 'Verweigert', 'Refused'],
  'access.refused-by-source': ['Geweigerd door de bron', 'Refusée par la source', 'Von der Quelle verweigert', 'Refused by the source'],
  'access.failed': ['Mislukt', 'Échouée', 'Fehlgeschlagen', 'Failed'],
  // Channels and deliveries
  'channel.ecounter': ['E-loket', 'Guichet électronique', 'E-Schalter', 'E-counter'],
  'channel.email': ['E-mail', 'E-mail', 'E-Mail', 'E-mail'],
  'channel.sms': ['Sms', 'SMS', 'SMS', 'Text message'],
  'channel.letter': ['Brief', 'Lettre', 'Brief', 'Letter'],
  'delivery.queued': ['klaar om te versturen', 'prêt à l’envoi', 'versandbereit', 'ready to send'],
  'delivery.sending': ['wordt verstuurd', 'en cours d’envoi', 'wird gesendet', 'being sent'],
  'delivery.delivered': ['afgeleverd', 'remis', 'zugestellt', 'delivered'],
  'delivery.temporary_failure': ['opnieuw te proberen', 'à réessayer', 'wird erneut versucht', 'to be tried again'],
  'delivery.permanent_failure': ['niet afgeleverd', 'non remis', 'nicht zugestellt', 'not delivered'],
  'delivery.expired': ['niet meer nodig', 'plus nécessaire', 'nicht mehr nötig', 'no longer needed'],
} satisfies Record<string, Row>;

export type TextKey = keyof typeof TEXTS;

/** A text in the language, `{name}` placeholders filled. */
export function text(lang: Language, key: TextKey, values: Record<string, string | number> = {}): string {
  return TEXTS[key][INDEX[lang]].replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m));
}

/** The text of a key built at run time (a status, an outcome), else the code itself. */
export function label(lang: Language, prefix: string, code: string | null | undefined, values: Record<string, string | number> = {}): string {
  const key = `${prefix}.${code}`;
  return key in TEXTS ? text(lang, key as TextKey, values) : (code ?? '');
}

/** Every key, for the completeness test. */
export const TEXT_KEYS = Object.keys(TEXTS) as TextKey[];
export const textRow = (key: TextKey): Row => TEXTS[key];

const LOCALES: Record<Language, string> = { nl: 'nl-BE', fr: 'fr-BE', de: 'de-BE', en: 'en-GB' };

/** A date and time as people in Belgium read it, in their language. */
export function formatDateTime(lang: Language, iso: string | undefined | null): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Brussels' }).format(new Date(iso));
}

/** A day, in their language. */
export function formatDay(lang: Language, iso: string | undefined | null): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'Europe/Brussels' }).format(new Date(iso));
}

/** A size in bytes as kB or MB. */
export function formatSize(lang: Language, bytes: number): string {
  const n = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 });
  return bytes >= 1024 * 1024 ? `${n.format(bytes / (1024 * 1024))} MB` : `${n.format(Math.max(1, Math.round(bytes / 1024)))} kB`;
}
