import type { DataRequirement, DocumentRequirement, Language, Translations } from '@levensloop/domain';
import { categoryOf } from '@levensloop/notifications';
import type {
  AppealRow,
  DataAccessRow,
  DecisionView,
  JourneyDeliveryRow,
  JourneyRow,
  JourneyStepRow,
  ObjectionRow,
  PinnedStep,
  StepFieldRow,
  TaskDocumentRow,
} from '@levensloop/persistence';
import { describeField, explainLegalBasis, tr } from '../data-access/reading';
import { label, text } from './texts';

/**
 * The citizen's dossier of one journey as one content model, in the reader's language: built
 * here from what the repositories hold (a pure function), then written as JSON as it is and as a
 * tagged PDF (./pdf.ts). Dates stay ISO-8601 (the PDF formats them); every code keeps its
 * `code` next to its words, so a program reads the JSON and a person the PDF.
 */

export const DOSSIER_FORMAT = 'levensloop.dossier/1';
/** Who asks: the subject, or a holder of a mandate that reads the journey. */
export type DossierReader = 'subject' | 'representative';

/** What the repositories gave, as they gave it. */
export interface DossierFacts {
  generatedAt: Date;
  reader: DossierReader;
  journey: Pick<JourneyRow, 'id' | 'life_event_key' | 'life_event_version' | 'title' | 'subject_type' | 'subject_id' | 'status' | 'started_at' | 'completed_at' | 'cancel_reason'>;
  /** Agency code → its names. */
  agencies: Record<string, Partial<Translations> | null>;
  steps: Array<Pick<JourneyStepRow, 'node_key' | 'agency' | 'kind' | 'status' | 'title' | 'started_at' | 'due_at' | 'completed_at' | 'outcome'>>;
  decisions: Array<Pick<DecisionView, 'node_key' | 'agency' | 'rule_id' | 'rule_version' | 'outcome' | 'explanation' | 'decided_at' | 'override_outcome' | 'override_reason' | 'overridden_at' | 'revised_outcome'>>;
  objections: Array<Pick<ObjectionRow, 'node_key' | 'reason' | 'filed_at' | 'status' | 'verdict' | 'explanation' | 'reviewed_at'>>;
  appeals: Array<Pick<AppealRow, 'node_key' | 'reason' | 'filed_at' | 'status' | 'verdict' | 'explanation' | 'decided_at'>>;
  /** The steps as the pinned life-event version declares them (their data requirements). */
  declared: Array<Pick<PinnedStep, 'node_key' | 'requirements'>>;
  fields: Array<Omit<StepFieldRow, 'value'>>;
  /** The journey's data-access log, newest first; `readsCutOff` when older entries were left out. */
  reads: Array<Pick<DataAccessRow, 'at' | 'actor_kind' | 'agency' | 'agency_names' | 'node_key' | 'source' | 'fields' | 'purpose' | 'legal_basis' | 'outcome'>>;
  readsCutOff?: boolean;
  /** The journey's messages with their deliveries to the reader (one row per delivery). */
  deliveries: Array<Pick<JourneyDeliveryRow, 'id' | 'category' | 'created_at' | 'delivery_id' | 'channel' | 'status' | 'sent_at' | 'subject'>>;
  documents: Array<Pick<TaskDocumentRow, 'id' | 'node_key' | 'doc_key' | 'content_type' | 'size' | 'file_name' | 'uploaded_at'>>;
  /** What each step declares of its documents (their titles). */
  documentTitles: Array<{ node_key: string; documents: Array<Pick<DocumentRequirement, 'key' | 'titles'>> }>;
}

export interface Coded {
  code: string;
  label: string;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : undefined);
const coded = (lang: Language, prefix: string, code: string): Coded => ({ code, label: label(lang, prefix, code) });

export type DossierContent = ReturnType<typeof dossierContent>;

/** The dossier in `lang`; nothing in it is read from anywhere but `facts`. */
export function dossierContent(facts: DossierFacts, lang: Language) {
  const j = facts.journey;
  const lifeEventTitle = tr(j.title as Translations, lang) ?? j.life_event_key;
  const agency = (code: string | null | undefined) => (code ? { code, name: tr(facts.agencies[code] as Translations | null, lang) ?? code } : undefined);
  const stepTitles = new Map(facts.steps.map((s) => [s.node_key, tr(s.title as Translations, lang) ?? s.node_key]));
  const stepTitle = (node: string | null | undefined) => (node ? (stepTitles.get(node) ?? node) : undefined);
  const generatedAt = facts.generatedAt.toISOString();

  return {
    format: DOSSIER_FORMAT,
    language: lang,
    generatedAt,
    title: text(lang, 'title', { title: lifeEventTitle }),
    requestedBy: coded(lang, 'reader', facts.reader),
    journey: {
      id: j.id,
      lifeEvent: { key: j.life_event_key, version: j.life_event_version, title: lifeEventTitle },
      subject: { type: j.subject_type, id: j.subject_id },
      status: coded(lang, 'journey', j.status),
      startedAt: iso(j.started_at)!,
      endedAt: iso(j.completed_at),
      cancelReason: j.cancel_reason ?? undefined,
    },
    steps: facts.steps.map((s) => ({
      node: s.node_key,
      title: stepTitle(s.node_key)!,
      agency: agency(s.agency)!,
      status: coded(lang, 'step', s.status),
      startedAt: iso(s.started_at),
      dueAt: iso(s.due_at),
      completedAt: iso(s.completed_at),
      outcome: outcomeOf(s.outcome, lang),
    })),
    decisions: facts.decisions.map((d) => {
      const objection = facts.objections.find((o) => o.node_key === d.node_key);
      const appeal = facts.appeals.find((a) => a.node_key === d.node_key);
      return {
        node: d.node_key,
        step: stepTitle(d.node_key)!,
        agency: agency(d.agency)!,
        rule: { id: d.rule_id, version: d.rule_version },
        /** What holds now: a revision, else an override, else the rule's outcome. */
        outcome: coded(lang, 'decision', d.revised_outcome ?? d.override_outcome ?? d.outcome),
        decided: { outcome: coded(lang, 'decision', d.outcome), at: iso(d.decided_at)!, explanation: tr(d.explanation, lang) ?? '' },
        override: d.override_outcome ? { outcome: coded(lang, 'decision', d.override_outcome), reason: d.override_reason ?? '', at: iso(d.overridden_at) } : undefined,
        objection: objection ? stageOf(objection, objection.reviewed_at, lang) : undefined,
        appeal: appeal ? stageOf(appeal, appeal.decided_at, lang) : undefined,
      };
    }),
    dataUsed: dataUsedOf(facts, lang, stepTitle),
    dataAccess: {
      items: facts.reads.map((r) => {
        const d = (f: string) => describeField(r.source, f, lang);
        const agencyName = agency(r.agency)?.name ?? (r.agency_names ? tr(r.agency_names, lang) : undefined);
        return {
          at: iso(r.at)!,
          who: { code: r.actor_kind, label: label(lang, 'actor', r.actor_kind, { agency: agencyName ?? text(lang, 'actor.engine') }) },
          agency: agency(r.agency),
          step: stepTitle(r.node_key),
          source: { key: r.source, title: d('').sourceTitle },
          fields: r.fields.map((f) => ({ field: f, title: d(f).title })),
          purpose: tr(r.purpose, lang) ?? '',
          legalBasis: explainLegalBasis(r.legal_basis, lang),
          outcome: coded(lang, 'access', r.outcome),
        };
      }),
      /** False when older entries were left out (the app lists them all, GET /journeys/{id}/data-access). */
      complete: !facts.readsCutOff,
    },
    messages: messagesOf(facts.deliveries, lang),
    documents: facts.documents.map((d) => {
      const titles = facts.documentTitles.find((s) => s.node_key === d.node_key)?.documents.find((x) => x.key === d.doc_key)?.titles;
      return {
        key: d.doc_key,
        title: tr(titles, lang) ?? d.doc_key,
        name: d.file_name,
        type: d.content_type,
        size: d.size,
        uploadedAt: iso(d.uploaded_at)!,
        step: stepTitle(d.node_key)!,
      };
    }),
  };
}

/** A step's outcome in words: approved, refused or carried out, with the comment or reason given. */
function outcomeOf(outcome: Record<string, unknown> | null | undefined, lang: Language): (Coded & { comment?: string }) | undefined {
  if (!outcome) return undefined;
  const result = typeof outcome.result === 'string' ? outcome.result : undefined;
  const comment = [outcome.comment, outcome.reason].find((x): x is string => typeof x === 'string' && !!x.trim());
  if (!result && !comment) return undefined;
  return { ...(result ? coded(lang, 'result', result) : { code: 'note', label: '' }), ...(comment ? { comment } : {}) };
}

/** An objection or an appeal: filed with a reason, then closed with a verdict and an explanation. */
function stageOf(r: Pick<ObjectionRow, 'reason' | 'filed_at' | 'status' | 'verdict' | 'explanation'>, closedAt: Date | null, lang: Language) {
  return {
    status: coded(lang, 'stage', r.status),
    reason: r.reason,
    filedAt: iso(r.filed_at)!,
    ...(r.status !== 'filed'
      ? { closedAt: iso(closedAt), outcome: r.verdict && r.verdict !== 'uphold' ? coded(lang, 'decision', r.verdict) : undefined, explanation: tr(r.explanation, lang) ?? '' }
      : {}),
  };
}

/** Each field a step used, with where it came from and why and on what basis the step may use it. */
function dataUsedOf(facts: DossierFacts, lang: Language, stepTitle: (node: string) => string | undefined) {
  const declared = new Map<string, DataRequirement>();
  for (const s of facts.declared) for (const r of s.requirements ?? []) declared.set(`${s.node_key} ${r.source}/${r.field}`, r);
  const order = new Map(facts.steps.map((s, i) => [s.node_key, i]));
  return [...facts.fields]
    .sort((a, b) => (order.get(a.node_key) ?? 1e9) - (order.get(b.node_key) ?? 1e9) || `${a.source}/${a.field}`.localeCompare(`${b.source}/${b.field}`))
    .map((f) => {
      const req = declared.get(`${f.node_key} ${f.source}/${f.field}`);
      const d = describeField(f.source, f.field, lang);
      return {
        step: stepTitle(f.node_key)!,
        node: f.node_key,
        source: { key: f.source, title: d.sourceTitle },
        field: { key: f.field, title: d.title },
        origin: coded(lang, 'origin', f.origin),
        at: iso(f.at)!,
        purpose: tr(req?.purpose, lang) ?? '',
        legalBasis: req ? explainLegalBasis(req.legalBasis, lang) : undefined,
      };
    });
}

/** One entry per message (oldest first), with the channels it went out on to the reader and its subject line as sent. */
function messagesOf(rows: DossierFacts['deliveries'], lang: Language) {
  const out = new Map<string, { id: string; at: string; category: { code: string; title: string }; subject: string; channels: Array<Coded & { status: Coded; sentAt?: string }> }>();
  for (const r of rows) {
    // A message never sent (expired, or not fanned out yet) was not sent to anyone.
    if (!r.delivery_id || r.status === 'expired') continue;
    let m = out.get(r.id);
    if (!m) {
      m = { id: r.id, at: iso(r.created_at)!, category: { code: r.category, title: tr(categoryOf(r.category)?.titles, lang) ?? r.category }, subject: '', channels: [] };
      out.set(r.id, m);
    }
    if (!m.subject && r.subject) m.subject = r.subject;
    m.channels.push({ ...coded(lang, 'channel', r.channel), status: coded(lang, 'delivery', r.status), sentAt: iso(r.sent_at) });
  }
  return [...out.values()].map((m) => ({ ...m, subject: m.subject || m.category.title }));
}
