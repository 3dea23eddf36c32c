import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { LevensloopConfig } from '@levensloop/config';
import { taskCompletionAccess, taskVisibility, uploadProblem, type DocumentRequirement, type EvidenceSource, type Language, type Translations } from '@levensloop/domain';
import { AuditLog, DataAccessLog, EvidencePreviews, sha256, Tasks, TaskDocuments, type DocumentStore, type EvidencePreviewRow, type TaskRow } from '@levensloop/persistence';
import { EvidenceClient, EvidenceNotHeldError, readOutcomeOf, SOURCE_CATALOG, SourceRequestError } from '@levensloop/sources';
import type { Principal } from '../../auth/principal';
import { AccessService } from '../../access/access.service';
import { CONFIG } from '../../config.provider';
import { conflict, forbidden, invalid, notFound, ProblemException } from '../../common/problem';
import { tr } from '../../data-access/reading';
import { accessFacts } from '../../tasks/task-access';
import { detectType, DOCUMENT_STORE, documentView } from '../documents.service';

/** Why a preview was read, as the subject reads it in their access log. */
const PREVIEW_VIEWED: Translations = {
  nl: 'U (of wie u vertegenwoordigt) bekeek het voorbeeld van een document dat op uw vraag werd opgehaald, voor u het gebruikte',
  fr: 'Vous (ou votre représentant) avez consulté l’aperçu d’un document obtenu à votre demande, avant de l’utiliser',
  de: 'Sie (oder Ihr Vertreter) haben die Vorschau eines auf Ihre Anfrage abgeholten Dokuments angesehen, bevor Sie es verwendeten',
  en: 'You (or whoever represents you) viewed the preview of a document fetched at your request, before using it',
};

/** A step's document, its declaration and where the task's step is (for the access log). */
interface Declared {
  task: TaskRow;
  requirement: DocumentRequirement & { evidence: EvidenceSource };
  agency: string;
  stepKey: string;
}

/**
 * Evidence from an authentic source instead of an upload, on the person's explicit request (the
 * once-only technical system's rule): fetched through the sources' evidence client (its guards,
 * the access log with purpose and legal basis, outcome `preview`), held encrypted as a preview that
 * only its requester sees, and a task document only once they accept it. Nothing of it reaches the
 * caseworker or the workflow before that. It runs here, in the gateway, because it is the person's
 * own synchronous request whose answer they must see at once, and because the workflow must never
 * hold a document the person has not accepted (not even encrypted in its history).
 */
@Injectable()
export class EvidenceService {
  private readonly client: EvidenceClient;

  constructor(
    private readonly tasks: Tasks,
    private readonly documents: TaskDocuments,
    private readonly previews: EvidencePreviews,
    private readonly access: AccessService,
    private readonly dataAccess: DataAccessLog,
    private readonly audit: AuditLog,
    @Inject(DOCUMENT_STORE) private readonly store: DocumentStore,
    @Inject(CONFIG) private readonly config: LevensloopConfig,
  ) {
    this.client = new EvidenceClient(config.sources);
  }

  /** Asks the document's source for it, about the task's subject, and holds it as the caller's preview. */
  async request(principal: Principal, taskId: string, key: string, lang: Language) {
    const { task, requirement, agency, stepKey } = await this.declared(principal, taskId, key, { open: true });
    const { source, type, purpose, legalBasis } = requirement.evidence;
    const log = this.dataAccess.readEntry({
      subjectType: task.subject_type,
      subjectId: task.subject_id,
      journeyId: task.journey_id,
      nodeKey: task.node_key,
      agency,
      stepKey,
      actor: principal.sub,
      actorKind: 'citizen',
      source,
      fields: [type],
      purpose,
      legalBasis,
    });
    const requestId = await log('requested');
    const hardCap = Math.min(requirement.maxBytes, this.config.documents.maxBytes);
    let fetched;
    try {
      fetched = await this.client.fetch(source, type, { type: task.subject_type as 'person' | 'enterprise', id: task.subject_id }, { purpose: purpose.nl, legalBasis: `${legalBasis.type}: ${legalBasis.reference}`, requester: `${agency}/${stepKey}`, journeyId: task.journey_id }, hardCap);
    } catch (err) {
      await log(readOutcomeOf(err), requestId, (err as Error).message.slice(0, 1000)).catch(() => undefined);
      throw this.fetchProblem(err, requirement, lang);
    }
    const detected = detectType(fetched.content);
    const problem = uploadProblem(requirement, detected, fetched.content.length, this.config.documents.maxBytes);
    if (problem) {
      await log('failed', requestId, `the source's document does not fit: ${problem}`);
      throw new ProblemException(502, `${this.sourceTitle(source, lang)} delivered a document that does not fit '${key}' (${problem}). Nothing was kept; upload the document instead.`, { slug: 'evidence-unusable', title: 'Bad gateway' });
    }
    const row = await this.previews.hold(
      { id: randomUUID(), task_id: task.id, journey_id: task.journey_id, node_key: task.node_key, doc_key: key, requested_by: principal.sub, source, evidence_type: type, hash: sha256(fetched.content), content_type: detected!, size: fetched.content.length, file_name: safeFileName(fetched.fileName, key) },
      fetched.content,
      this.config.evidence.previewTermMs,
    );
    await log('preview', requestId);
    await this.audit.append({ actor: principal.sub, action: 'task.evidence_requested', targetType: 'task', targetId: task.id, detail: { key, source, type, hash: row.hash } });
    return this.view(row, requirement, lang);
  }

  /** The caller's previews on a task (nobody else's). */
  async list(principal: Principal, taskId: string, lang: Language) {
    const task = await this.actable(principal, taskId);
    const [rows, [step]] = await Promise.all([this.previews.ofTask(task.id, principal.sub), this.documents.declared(task.journey_id, task.node_key)]);
    return { items: rows.map((row) => this.view(row, step?.documents.find((d) => d.key === row.doc_key), lang)) };
  }

  /** The preview's content, for its requester only (anyone else: 404). */
  async content(principal: Principal, taskId: string, key: string) {
    const task = await this.visibleTask(principal, taskId);
    const held = await this.previews.open(task.id, key, principal.sub);
    if (!held) throw notFound(`A preview of '${key}' for you on task ${taskId}`);
    // Viewing it is a read of the subject's evidence too: the subject sees who looked (a representative, say).
    const [step] = await this.documents.declared(task.journey_id, task.node_key);
    const declared = step?.documents.find((d) => d.key === key)?.evidence;
    await this.dataAccess.append([
      {
        subjectType: task.subject_type,
        subjectId: task.subject_id,
        journeyId: task.journey_id,
        nodeKey: task.node_key,
        agency: step?.agency ?? null,
        stepKey: step?.step_key ?? null,
        actor: principal.sub,
        actorKind: 'citizen',
        source: held.row.source,
        fields: [held.row.evidence_type],
        purpose: PREVIEW_VIEWED,
        legalBasis: declared?.legalBasis ?? { type: 'consent', reference: 'asked for by the person' },
        outcome: 'granted',
      },
    ]);
    return held;
  }

  /** The preview becomes the task's document, exactly as an upload would, with its origin. */
  async accept(principal: Principal, taskId: string, key: string, lang: Language) {
    const { task, requirement } = await this.declared(principal, taskId, key, { open: true });
    const held = await this.previews.open(task.id, key, principal.sub);
    if (!held) throw notFound(`A preview of '${key}' for you on task ${taskId} (it may have expired: ask for it again)`);
    const { row: preview, content } = held;
    const { row } = await this.documents.attach(
      {
        id: randomUUID(),
        task_id: task.id,
        journey_id: task.journey_id,
        node_key: task.node_key,
        doc_key: key,
        hash: preview.hash,
        content_type: preview.content_type,
        size: preview.size,
        file_name: preview.file_name,
        uploaded_by: principal.sub,
        origin: { kind: 'evidence', source: preview.source, type: preview.evidence_type, requestedBy: preview.requested_by, fetchedAt: new Date(preview.fetched_at).toISOString() },
      },
      content,
      this.store,
    );
    await this.previews.discard(preview.id);
    await this.audit.append({ actor: principal.sub, action: 'task.evidence_accepted', targetType: 'task', targetId: task.id, detail: { key, source: preview.source, type: preview.evidence_type, hash: preview.hash, size: preview.size } });
    return documentView(row, requirement, lang);
  }

  /** The preview is discarded; nothing is attached. */
  async reject(principal: Principal, taskId: string, key: string) {
    const task = await this.actable(principal, taskId);
    const held = await this.previews.ofTask(task.id, principal.sub);
    const preview = held.find((p) => p.doc_key === key);
    if (!preview || !(await this.previews.discard(preview.id))) throw notFound(`A preview of '${key}' for you on task ${taskId}`);
    await this.audit.append({ actor: principal.sub, action: 'task.evidence_rejected', targetType: 'task', targetId: task.id, detail: { key, source: preview.source, type: preview.evidence_type, hash: preview.hash } });
    return { key, discarded: true };
  }

  /** The task, when the caller may see it (else 404). */
  private async visibleTask(principal: Principal, taskId: string): Promise<TaskRow> {
    const task = await this.tasks.find(taskId);
    if (!task || !(await this.access.resolve(principal, taskVisibility(principal, accessFacts(task))))) throw notFound(`Task ${taskId}`);
    return task;
  }

  /** The task, when the caller may act on it as the person (the subject or who acts for them). */
  private async actable(principal: Principal, taskId: string): Promise<TaskRow> {
    const task = await this.visibleTask(principal, taskId);
    if ((await this.access.resolve(principal, taskCompletionAccess(principal, accessFacts(task)))) === undefined) throw forbidden('You may not act on this task.');
    if (task.assignee !== 'citizen' || !principal.roles.includes('citizen')) throw forbidden('Evidence is asked for by the person it is about (or who acts for them), on their own task.');
    return task;
  }

  private async declared(principal: Principal, taskId: string, key: string, options: { open: boolean }): Promise<Declared> {
    const task = await this.actable(principal, taskId);
    if (options.open && (task.status === 'completed' || task.status === 'cancelled')) throw conflict(`The task is ${task.status}; evidence goes to an open task.`);
    const [step] = task.purpose === 'task' ? await this.documents.declared(task.journey_id, task.node_key) : [];
    const requirements = step?.documents ?? [];
    if (!requirements.length) throw conflict('This task asks for no documents.', 'no-documents');
    const requirement = requirements.find((r) => r.key === key);
    if (!requirement) throw invalid(`The task asks for no document '${key}'.`, [{ path: '/key', message: `'${key}' is not one of this task's documents; it asks for: ${requirements.map((r) => r.key).join(', ')}` }]);
    if (!requirement.evidence) throw conflict(`'${key}' cannot come from an authentic source: upload it (POST /tasks/${task.id}/documents).`, 'no-evidence-source');
    return { task, requirement: requirement as Declared['requirement'], agency: step!.agency, stepKey: step!.step_key };
  }

  private fetchProblem(err: unknown, requirement: Declared['requirement'], lang: Language): ProblemException {
    const { source, type } = requirement.evidence;
    const name = `${this.sourceTitle(source, lang)}`;
    if (err instanceof EvidenceNotHeldError) {
      return new ProblemException(409, `${name} holds no ${tr(SOURCE_CATALOG[source]?.evidence?.[type]?.titles, lang) ?? type} for this person (${err.message}). Nothing was stored; upload the document instead.`, {
        slug: 'no-evidence',
        extensions: { source, evidenceType: type },
      });
    }
    if (err instanceof SourceRequestError) return new ProblemException(502, `${name} refused the request (${err.message}). Nothing was stored; upload the document instead.`, { slug: 'evidence-refused', title: 'Bad gateway', extensions: { source } });
    return new ProblemException(503, `${name} cannot be asked right now (${(err as Error).message}); try again shortly, or upload the document.`, { slug: 'source-unavailable', extensions: { source } });
  }

  private sourceTitle(source: string, lang: Language) {
    return tr(SOURCE_CATALOG[source]?.titles, lang) ?? source;
  }

  private view(row: EvidencePreviewRow, requirement: DocumentRequirement | undefined, lang: Language) {
    const typeTitles: Translations | undefined = SOURCE_CATALOG[row.source]?.evidence?.[row.evidence_type]?.titles;
    return {
      key: row.doc_key,
      ...(requirement ? { title: tr(requirement.titles, lang) } : {}),
      taskId: row.task_id,
      source: row.source,
      sourceTitle: this.sourceTitle(row.source, lang),
      evidenceType: row.evidence_type,
      evidenceTitle: tr(typeTitles, lang) ?? row.evidence_type,
      type: row.content_type,
      size: row.size,
      name: row.file_name,
      hash: row.hash,
      fetchedAt: row.fetched_at,
      expiresAt: row.expires_at,
    };
  }
}

/** The source's file name, without paths or control characters; the document's key otherwise. */
function safeFileName(name: string | undefined, key: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f-\u009f"]/g, '').trim().slice(0, 200);
  return base || `${key}.pdf`;
}
