import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { citizenFor, type Access, type Language, type Translations, type Viewer } from '@levensloop/domain';
import {
  AuditLog,
  DataAccessLog,
  DecisionAppeals,
  DecisionObjections,
  Decisions,
  DossierReads,
  JourneyReadModel,
  NotificationInbox,
  Preferences,
  StepData,
  TaskDocuments,
  type DataAccessRow,
  type JourneyRow,
} from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { AccessService } from '../access/access.service';
import { notFound } from '../common/problem';
import { isUuid } from '../data-access/reading';
import { ownIds } from '../mandates/mandates.service';
import { dossierContent, type DossierContent, type DossierFacts, type DossierReader } from './content';
import { renderDossierPdf } from './pdf';

/** The access log's source for a dossier export (see data-access/reading.ts). */
export const DOSSIER_SOURCE = 'dossier';
/** The most entries of the access log a dossier lists (newest first); the app pages through all of them. */
const MAX_READS = 1000;
const SECTIONS = ['steps', 'decisions', 'data-used', 'data-access', 'messages', 'documents'];

/** Why the file left the platform, as the subject reads it in their access log. */
const EXPORT_PURPOSE: Record<DossierReader, Translations> = {
  subject: {
    nl: 'U downloadde uw dossier: de stappen, beslissingen, gebruikte gegevens, wie ze las, uw berichten en de lijst van documenten',
    fr: 'Vous avez téléchargé votre dossier : les étapes, décisions, données utilisées, qui les a lues, vos messages et la liste des documents',
    de: 'Sie haben Ihre Akte heruntergeladen: Schritte, Entscheidungen, verwendete Daten, wer sie gelesen hat, Ihre Nachrichten und die Dokumentenliste',
    en: 'You downloaded your file: the steps, decisions, data used, who read it, your messages and the list of documents',
  },
  representative: {
    nl: 'Iemand die u vertegenwoordigt downloadde uw dossier: de stappen, beslissingen, gebruikte gegevens, wie ze las, berichten en de lijst van documenten',
    fr: 'Une personne qui vous représente a téléchargé votre dossier : les étapes, décisions, données utilisées, qui les a lues, les messages et la liste des documents',
    de: 'Eine Person, die Sie vertritt, hat Ihre Akte heruntergeladen: Schritte, Entscheidungen, verwendete Daten, wer sie gelesen hat, Nachrichten und die Dokumentenliste',
    en: 'Someone who represents you downloaded your file: the steps, decisions, data used, who read it, messages and the list of documents',
  },
};
/** The right the export serves: access to one's own data, in a portable form. */
const RIGHT_OF_ACCESS = { type: 'law', reference: 'AVG/GDPR art. 15 (recht op inzage) en art. 20 (overdraagbaarheid)' };

export type DossierFormat = 'pdf' | 'json';
export interface DossierTarget {
  journey: JourneyRow;
  as: DossierReader;
}

/** The subject, or a citizen whose mandate for the subject reads the journey's life event; anyone else: nothing (a 404). */
export function dossierAccess(v: Viewer, journey: { subjectId: string; lifeEvent: string }): Access<DossierReader> {
  return citizenFor(v, journey.subjectId, { lifeEvent: journey.lifeEvent, access: 'read' }, { self: 'subject', mandate: 'representative' });
}

/**
 * The citizen's own dossier of a journey (GET /me/journeys/{id}/export): who may have it, its
 * facts read through the repositories, the content model, the PDF; every export audited and
 * written to the access log the subject reads before the answer leaves.
 */
@Injectable()
export class DossierService {
  constructor(
    private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly readModel: JourneyReadModel,
    private readonly decisions: Decisions,
    private readonly objections: DecisionObjections,
    private readonly appeals: DecisionAppeals,
    private readonly stepData: StepData,
    private readonly accessLog: DataAccessLog,
    private readonly audit: AuditLog,
    private readonly inbox: NotificationInbox,
    private readonly documents: TaskDocuments,
    private readonly preferences: Preferences,
    private readonly reads: DossierReads,
  ) {}

  /** The journey and as whom the caller has its dossier; the 404 of a journey that does not exist for anyone else. */
  async authorise(p: Principal, journeyId: string): Promise<DossierTarget> {
    const journey = isUuid(journeyId) ? await this.readModel.find(journeyId) : undefined;
    const as = journey ? await this.access.resolve(p, dossierAccess(p, { subjectId: journey.subject_id, lifeEvent: journey.life_event_key })) : undefined;
    if (!journey || !as) throw notFound(`Journey ${journeyId}`);
    return { journey, as };
  }

  /** The reader's language: the one asked for (`?lang=`), else their preference, else Accept-Language (given as `fallback`). */
  async languageOf(p: Principal, asked: Language | undefined, fallback: Language): Promise<Language> {
    if (asked) return asked;
    const [own] = ownIds(p);
    const preferred = own ? (await this.preferences.find(own))?.language : undefined;
    return preferred === 'nl' || preferred === 'fr' || preferred === 'de' || preferred === 'en' ? preferred : fallback;
  }

  async export(p: Principal, target: DossierTarget, format: DossierFormat, lang: Language): Promise<{ content: DossierContent; pdf?: Buffer }> {
    const facts = await this.factsOf(p, target);
    const content = dossierContent(facts, lang);
    const pdf = format === 'pdf' ? await renderDossierPdf(content) : undefined;
    await this.record(p, target, format, lang, content);
    return { content, pdf };
  }

  private async factsOf(p: Principal, { journey, as }: DossierTarget): Promise<DossierFacts> {
    const id = journey.id;
    const [{ steps }, decisions, objections, appeals, declared, fields, reads, deliveries, documents, documentTitles] = await Promise.all([
      this.readModel.stepsAndTimeline(journey),
      this.decisions.ofJourney(id),
      this.objections.ofJourney(id),
      this.appeals.ofJourney(id),
      this.stepData.pinnedSteps(id, { key: journey.life_event_key, version: journey.life_event_version }),
      this.stepData.ofJourney(id),
      this.accessLog.page({ journey: id, limit: MAX_READS }),
      // Messages to the reader (the subject, or the representative's own copies), as GET /journeys/{id}/notifications shows a citizen.
      this.inbox.ofJourney(id, ownIds(p)),
      this.documents.ofJourney(id),
      this.documents.declared(id),
    ]);
    const codes = [...new Set([...steps.map((s) => s.agency), ...decisions.map((d) => d.agency), ...reads.flatMap((r: DataAccessRow) => (r.agency ? [r.agency] : []))])];
    return {
      generatedAt: new Date(),
      reader: as,
      journey,
      agencies: await this.reads.agencyNames(codes),
      steps,
      decisions,
      objections,
      appeals,
      declared,
      fields,
      reads: reads.slice(0, MAX_READS),
      readsCutOff: reads.length > MAX_READS,
      deliveries,
      documents,
      documentTitles: documentTitles.map((d) => ({ node_key: d.node_key, documents: d.documents })),
    };
  }

  /**
   * The audit row, and the access-log row the subject reads ("you downloaded your file" or
   * "someone who represents you did"): a copy of the whole file leaves the platform. One transaction.
   */
  private async record(p: Principal, { journey, as }: DossierTarget, format: DossierFormat, lang: Language, c: DossierContent) {
    await this.db.transaction(async (tx) => {
      await this.audit.append(
        {
          actor: p.sub,
          action: 'dossier.exported',
          targetType: 'journey',
          targetId: journey.id,
          detail: {
            format,
            language: lang,
            as,
            ...(as === 'representative' ? { onBehalfOf: { type: journey.subject_type, id: journey.subject_id } } : {}),
            counts: { steps: c.steps.length, decisions: c.decisions.length, dataUsed: c.dataUsed.length, dataAccess: c.dataAccess.items.length, messages: c.messages.length, documents: c.documents.length },
          },
        },
        tx,
      );
      await this.accessLog.append(
        [
          {
            subjectType: journey.subject_type,
            subjectId: journey.subject_id,
            journeyId: journey.id,
            agency: null,
            stepKey: null,
            actor: p.sub,
            actorKind: 'citizen',
            source: DOSSIER_SOURCE,
            fields: SECTIONS,
            purpose: EXPORT_PURPOSE[as],
            legalBasis: RIGHT_OF_ACCESS,
            outcome: 'granted',
          },
        ],
        tx,
      );
    });
  }
}
