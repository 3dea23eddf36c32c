import { useState } from 'preact/hooks';
import { ApiError, downloadFile, postForm, useResource } from '../api';
import { ErrorMessage, useSubmit } from '../components';
import { formatDate, formatNumber, t, tr, type Translations } from '../i18n';
import { EvidenceOffer, type EvidenceOfferView, type EvidencePreviewView } from './evidence';

/** A document a task's step asks for, with the upload already made for it (GET /tasks/{id}). */
export interface TaskDocumentView {
  key: string;
  titles: Translations;
  acceptedTypes: string[];
  maxBytes: number;
  required: boolean;
  /** The authentic source that can deliver it instead of an upload, on the person's request. */
  evidence?: EvidenceOfferView;
  uploaded?: DocumentView;
}

export interface DocumentView {
  id: string;
  key: string;
  title?: string;
  step: string;
  type: string;
  size: number;
  name: string;
  uploadedAt: string;
  uploadedBy: string;
  /** Set when an authentic source delivered it and the person accepted it. */
  origin?: { source: string; sourceTitle: string; type: string };
}

const TYPE_NAMES: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/tiff': 'TIFF', 'image/webp': 'WebP' };
const typeNames = (types: string[]) => types.map((type) => TYPE_NAMES[type] ?? type).join(', ');
const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB` : `${formatNumber(Math.max(1, Math.round(bytes / 1024)))} kB`);

/** The documents a task asks for: one upload field each, with what it takes; uploading again replaces. */
export function TaskDocuments({ taskId, documents, onUploaded }: { taskId: string; documents: TaskDocumentView[]; onUploaded: () => void }) {
  // The caller's previews, only when a document can come from a source.
  const [previewsVersion, setPreviewsVersion] = useState(0);
  const previews = useResource<{ items: EvidencePreviewView[] }>(documents.some((d) => d.evidence) ? `/tasks/${encodeURIComponent(taskId)}/evidence` : undefined, { refreshKey: previewsVersion });
  const changed = () => {
    setPreviewsVersion((v) => v + 1);
    onUploaded();
  };
  return (
    <section aria-labelledby="documents-title" class="documents">
      <h2 id="documents-title">{t('documents.title')}</h2>
      <p>{t('documents.intro')}</p>
      {documents.map((d, i) => (
        <DocumentUpload key={d.key} taskId={taskId} document={d} index={i} onUploaded={changed} preview={previews.data?.items.find((p) => p.key === d.key)} />
      ))}
    </section>
  );
}

function DocumentUpload({ taskId, document: d, index, onUploaded, preview }: { taskId: string; document: TaskDocumentView; index: number; onUploaded: () => void; preview?: EvidencePreviewView }) {
  const [file, setFile] = useState<File | undefined>();
  const [done, setDone] = useState('');
  const { busy, problem, setProblem, submit: upload } = useSubmit(async (chosen: File) => {
    const form = new FormData();
    form.append('key', d.key);
    form.append('file', chosen, chosen.name);
    await postForm(`/tasks/${encodeURIComponent(taskId)}/documents`, form);
    setDone(t('documents.uploaded', { name: chosen.name }));
    onUploaded();
  });
  const id = `document-${index}`;
  const title = tr(d.titles, d.key);
  const submit = (e: Event) => {
    e.preventDefault();
    setDone('');
    if (!file) {
      setProblem(new ApiError(400, { title: t('documents.chooseFile'), status: 400, detail: t('documents.chooseFile') }));
      return;
    }
    void upload(file);
  };
  return (
    <form class="form document-upload" onSubmit={submit} noValidate aria-labelledby={`${id}-title`} data-document={d.key}>
      <h3 id={`${id}-title`}>
        {title} {d.required ? <span class="hint">({t('documents.required')})</span> : <span class="hint">({t('documents.optional')})</span>}
      </h3>
      {d.uploaded ? (
        <p class="hint" data-uploaded>
          {t('documents.current', { name: d.uploaded.name, size: size(d.uploaded.size), date: formatDate(d.uploaded.uploadedAt) })}
        </p>
      ) : null}
      <div class="field">
        <label for={id}>{d.uploaded ? t('documents.replace', { title }) : t('documents.choose', { title })}</label>
        <p class="hint" id={`${id}-hint`}>
          {t('documents.accepts', { types: typeNames(d.acceptedTypes), size: size(d.maxBytes) })}
        </p>
        <input
          id={id}
          type="file"
          accept={d.acceptedTypes.join(',')}
          aria-describedby={`${id}-hint${problem ? ` ${id}-error` : ''}`}
          aria-invalid={problem ? 'true' : undefined}
          onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])}
        />
        {problem ? (
          <p class="field-error" id={`${id}-error`}>
            {problem.problem.detail}
          </p>
        ) : null}
      </div>
      <p role="status" class="hint">
        {done}
      </p>
      <button type="submit" class="button secondary" disabled={busy}>
        {t('documents.upload')}
        <span class="visually-hidden">: {title}</span>
      </button>
      {d.evidence ? <EvidenceOffer taskId={taskId} docKey={d.key} title={title} offer={d.evidence} preview={preview} index={index} onChanged={onUploaded} /> : null}
    </form>
  );
}

/** The documents of a journey, to download (every download is in the subject's access log). */
export function JourneyDocuments({ journeyId, version }: { journeyId: string; version: number }) {
  const docs = useResource<{ items: DocumentView[] }>(`/journeys/${encodeURIComponent(journeyId)}/documents`, { refreshKey: version });
  const [error, setError] = useState<ApiError | undefined>();
  if (!docs.data?.items.length && !docs.error) return null;
  const download = async (d: DocumentView) => {
    setError(undefined);
    try {
      await downloadFile(`/journeys/${encodeURIComponent(journeyId)}/documents/${d.id}`, d.name);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section aria-labelledby="journey-documents-title">
      <h2 id="journey-documents-title">{t('documents.journeyTitle')}</h2>
      <p>{t('documents.journeyIntro')}</p>
      <ErrorMessage error={error ?? docs.error} />
      <ul class="cards documents-list">
        {docs.data?.items.map((d) => (
          <li class="card" key={d.id} data-document={d.key}>
            <h3 class="card-title">{d.title ?? d.key}</h3>
            <p>
              {d.name} · {TYPE_NAMES[d.type] ?? d.type} · {size(d.size)}
            </p>
            <p class="hint">{d.origin ? t('evidence.fromSource', { source: d.origin.sourceTitle, who: d.uploadedBy, date: formatDate(d.uploadedAt) }) : t('documents.uploadedBy', { who: d.uploadedBy, date: formatDate(d.uploadedAt) })}</p>
            <button type="button" class="button small" onClick={() => download(d)}>
              {t('documents.download')}
              <span class="visually-hidden">: {d.title ?? d.key}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
