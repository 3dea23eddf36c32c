import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { filetypemime } from 'magic-bytes.js';
import type { LevensloopConfig } from '@levensloop/config';
import {
  DOCUMENT_TYPES,
  missingDocuments,
  taskCompletionAccess,
  taskVisibility,
  uploadProblem,
  type DocumentReference,
  type DocumentRequirement,
  type Language,
  type Translations,
} from '@levensloop/domain';
import { AuditLog, DataAccessLog, sha256, Tasks, TaskDocuments, type DocumentStore, type TaskDocumentRow, type TaskRow } from '@levensloop/persistence';
import { SOURCE_CATALOG } from '@levensloop/sources';
import type { Principal } from '../auth/principal';
import { AccessService } from '../access/access.service';
import { CONFIG } from '../config.provider';
import { conflict, invalid, notFound, ProblemException } from '../common/problem';
import { tr } from '../data-access/reading';
import { accessFacts } from '../tasks/task-access';
import { evidenceOffer } from './evidence/evidence-offer';

export const DOCUMENT_STORE = Symbol('DOCUMENT_STORE');

/** The access log's source for reads of uploaded documents (see data-access/reading.ts). */
export const DOCUMENTS_SOURCE = 'documents';

/** Why a document was read, as the citizen reads it in their access log. */
const READ_PURPOSE: Record<'caseworker' | 'citizen' | 'auditor', Translations> = {
  caseworker: {
    nl: 'Een dossierbehandelaar bekeek een document dat voor deze stap werd bezorgd',
    fr: 'Un gestionnaire de dossier a consulté un document remis pour cette étape',
    de: 'Ein Sachbearbeiter hat ein für diesen Schritt eingereichtes Dokument eingesehen',
    en: 'A caseworker viewed a document given for this step',
  },
  citizen: {
    nl: 'U (of wie u vertegenwoordigt) downloadde een document van dit dossier',
    fr: 'Vous (ou votre représentant) avez téléchargé un document de ce dossier',
    de: 'Sie (oder Ihr Vertreter) haben ein Dokument dieser Akte heruntergeladen',
    en: 'You (or whoever represents you) downloaded a document of this file',
  },
  auditor: {
    nl: 'Een auditor bekeek een document van dit dossier bij een controle',
    fr: 'Un auditeur a consulté un document de ce dossier lors d’un contrôle',
    de: 'Ein Prüfer hat ein Dokument dieser Akte bei einer Kontrolle eingesehen',
    en: 'An auditor viewed a document of this file during an audit',
  },
};

/** What multer hands over of the file part (memory storage). */
export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/**
 * Documents on tasks: an upload is checked (who, which task, which declared document, the type on
 * the content, the size) before anything is stored, then stored encrypted with the task's
 * reference in one transaction. Reading them follows the journey's visibility; every download
 * is a row in the data-access log.
 */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly tasks: Tasks,
    private readonly documents: TaskDocuments,
    private readonly access: AccessService,
    private readonly dataAccess: DataAccessLog,
    private readonly audit: AuditLog,
    @Inject(DOCUMENT_STORE) private readonly store: DocumentStore,
    @Inject(CONFIG) private readonly config: LevensloopConfig,
  ) {}

  async upload(principal: Principal, taskId: string, key: string, file: UploadedFile | undefined, lang: Language) {
    const task = await this.tasks.find(taskId);
    // As for every task action: one the caller may not see does not exist; one they may see but not act on is a 403 or 409.
    if (!task || !(await this.access.resolve(principal, taskVisibility(principal, accessFacts(task))))) throw notFound(`Task ${taskId}`);
    await this.access.resolve(principal, taskCompletionAccess(principal, accessFacts(task)));
    if (task.status === 'completed' || task.status === 'cancelled') throw conflict(`The task is ${task.status}; documents go to an open task.`);
    const requirements = await this.requirementsOf(task);
    if (!requirements.length) throw conflict(`This task asks for no documents.`, 'no-documents');
    const requirement = requirements.find((r) => r.key === key);
    if (!requirement) {
      throw invalid(`The task asks for no document '${key}'.`, [{ path: '/key', message: `'${key}' is not one of this task's documents; it asks for: ${requirements.map((r) => r.key).join(', ')}` }]);
    }
    if (!file) throw new ProblemException(400, "Send the file as multipart/form-data in the field 'file', with the document's key in the field 'key'.", { slug: 'missing-file', errors: [{ path: '/file', message: 'file is required' }] });
    const detected = detectType(file.buffer);
    const problem = uploadProblem(requirement, detected, file.size, this.config.documents.maxBytes);
    if (problem) {
      const tooBig = file.size > Math.min(requirement.maxBytes, this.config.documents.maxBytes);
      throw new ProblemException(tooBig ? 413 : file.size === 0 ? 422 : 415, `The file does not fit '${key}': ${problem}. Nothing was stored.`, {
        slug: tooBig ? 'document-too-large' : 'document-type',
        errors: [{ path: '/file', message: problem }],
        extensions: { acceptedTypes: requirement.acceptedTypes, maxBytes: Math.min(requirement.maxBytes, this.config.documents.maxBytes) },
      });
    }
    const hash = sha256(file.buffer);
    const { row } = await this.documents.attach(
      { id: randomUUID(), task_id: task.id, journey_id: task.journey_id, node_key: task.node_key, doc_key: key, hash, content_type: detected!, size: file.size, file_name: safeName(file.originalname, detected!), uploaded_by: principal.sub, origin: null },
      file.buffer,
      this.store,
    );
    await this.audit.append({ actor: principal.sub, action: 'task.document_uploaded', targetType: 'task', targetId: task.id, detail: { key, hash, type: detected, size: file.size } });
    return view(row, requirement, lang);
  }

  /**
   * What a completion of the step's own task hands the workflow: references to its documents
   * (never their content). A required document missing is a 422 that names it.
   */
  async forCompletion(task: TaskRow, options: { requireAll: boolean } = { requireAll: true }): Promise<DocumentReference[] | undefined> {
    if (task.purpose !== 'task') return undefined;
    const requirements = await this.requirementsOf(task);
    if (!requirements.length) return undefined;
    const uploaded = (await this.documents.ofTask(task.id)).filter((d) => requirements.some((r) => r.key === d.doc_key));
    const missing = missingDocuments(requirements, uploaded.map((d) => d.doc_key));
    if (missing.length && options.requireAll) {
      throw invalid(`Upload the required documents first (POST /tasks/${task.id}/documents): ${missing.join(', ')}.`, missing.map((key) => ({ path: `/documents/${key}`, message: `'${key}' is required and not uploaded yet` })));
    }
    return uploaded.length ? uploaded.map((d) => ({ key: d.doc_key, hash: d.hash, type: d.content_type, size: d.size })) : undefined;
  }

  /** The documents of a task's step (titles in every language) and those uploaded, for the task form. */
  async ofTask(task: TaskRow) {
    const requirements = await this.requirementsOf(task);
    if (!requirements.length) return undefined;
    const uploaded = await this.documents.ofTask(task.id);
    return requirements.map((r) => {
      const doc = uploaded.find((d) => d.doc_key === r.key);
      return {
        key: r.key,
        titles: r.titles,
        acceptedTypes: r.acceptedTypes,
        maxBytes: Math.min(r.maxBytes, this.config.documents.maxBytes),
        required: r.required ?? false,
        ...(r.evidence ? { evidence: evidenceOffer(r.evidence) } : {}),
        ...(doc ? { uploaded: view(doc, undefined, 'nl') } : {}),
      };
    });
  }

  /** The journey's documents, for whoever may see the journey (anyone else: 404). */
  async list(principal: Principal, journeyId: string, lang: Language) {
    await this.access.visibleJourney(principal, journeyId);
    const [rows, declared] = await Promise.all([this.documents.ofJourney(journeyId), this.documents.declared(journeyId)]);
    return { items: rows.map((row) => view(row, declared.find((d) => d.node_key === row.node_key)?.documents.find((r) => r.key === row.doc_key), lang)) };
  }

  /** One document's content, logged in the data-access log as read by the caller (with why). */
  async download(principal: Principal, journeyId: string, documentId: string) {
    const journey = await this.access.visibleJourney(principal, journeyId);
    const row = await this.documents.find(journeyId, documentId);
    if (!row) throw notFound(`Document ${documentId} of journey ${journeyId}`);
    const content = await this.store.get(row.hash);
    if (!content) throw new ProblemException(410, 'The document is no longer stored (its retention term passed).', { slug: 'document-gone' });
    const kind = journey.as === 'auditor' ? 'auditor' : journey.as === 'caseworker' ? 'caseworker' : 'citizen';
    const [step] = await this.documents.declared(journeyId, row.node_key);
    await this.dataAccess.append([
      {
        subjectType: journey.subject_type,
        subjectId: journey.subject_id,
        journeyId,
        nodeKey: row.node_key,
        agency: kind === 'caseworker' ? (principal.agency ?? null) : (step?.agency ?? null),
        stepKey: step?.step_key ?? null,
        actor: principal.sub,
        actorKind: kind,
        source: DOCUMENTS_SOURCE,
        fields: [row.doc_key],
        purpose: READ_PURPOSE[kind],
        legalBasis: { type: 'upload', reference: `${row.file_name} (${row.doc_key})` },
        outcome: 'granted',
      },
    ]);
    return { row, content };
  }

  private async requirementsOf(task: TaskRow): Promise<DocumentRequirement[]> {
    // Only the step's own task asks for its documents (not a consent, data or information task, nor an undoing).
    if (task.purpose !== 'task') return [];
    const [step] = await this.documents.declared(task.journey_id, task.node_key);
    return step?.documents ?? [];
  }
}

/** The first type the content's magic bytes name that documents may have, else the first named. */
export function detectType(content: Buffer): string | undefined {
  const found = filetypemime(content.subarray(0, 64));
  return found.find((t) => (DOCUMENT_TYPES as readonly string[]).includes(t)) ?? found[0];
}

const EXTENSIONS: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/tiff': 'tif', 'image/webp': 'webp' };

/** The name as given, without paths or control characters, at most 200 characters; a neutral one otherwise. */
export function safeName(name: string | undefined, type: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f-\u009f"]/g, '').trim().slice(0, 200);
  return base || `document.${EXTENSIONS[type] ?? 'bin'}`;
}

function view(row: TaskDocumentRow, requirement: DocumentRequirement | undefined, lang: Language) {
  return {
    id: row.id,
    key: row.doc_key,
    ...(requirement ? { title: tr(requirement.titles, lang) } : {}),
    step: row.node_key,
    taskId: row.task_id,
    type: row.content_type,
    size: row.size,
    name: row.file_name,
    hash: row.hash,
    uploadedAt: row.uploaded_at,
    uploadedBy: row.uploaded_by,
    ...(row.origin ? { origin: { ...row.origin, sourceTitle: tr(SOURCE_CATALOG[row.origin.source]?.titles, lang) ?? row.origin.source } } : {}),
  };
}

/** A document's view (the upload's answer), for the evidence that becomes one. */
export const documentView = view;
