import { useState } from 'preact/hooks';
import { downloadFile, post, type ApiError } from '../api';
import { useSubmit } from '../components';
import { formatDate, formatNumber, t, tr, type Translations } from '../i18n';

/** Where a task's document can come from instead of an upload (GET /tasks/{id}: documents[].evidence). */
export interface EvidenceOfferView {
  source: string;
  sourceTitles: Translations;
  type: string;
  typeTitles: Translations;
  purpose: Translations;
}

/** A preview the source delivered, held for the person who asked (GET /tasks/{id}/evidence). */
export interface EvidencePreviewView {
  key: string;
  sourceTitle: string;
  evidenceTitle: string;
  type: string;
  size: number;
  name: string;
  fetchedAt: string;
  expiresAt: string;
}

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB` : `${formatNumber(Math.max(1, Math.round(bytes / 1024)))} kB`);

/**
 * "Get it from <source>" beside the upload: the source is asked only when the person presses it;
 * what it sends is a preview only they see, which they view and then use or discard.
 */
export function EvidenceOffer({ taskId, docKey, title, offer, preview, index, onChanged }: { taskId: string; docKey: string; title: string; offer: EvidenceOfferView; preview?: EvidencePreviewView; index: number; onChanged: () => void }) {
  const [done, setDone] = useState('');
  const base = `/tasks/${encodeURIComponent(taskId)}/documents/${encodeURIComponent(docKey)}/evidence`;
  const source = tr(offer.sourceTitles, offer.source);
  const act = useSubmit(async (what: 'request' | 'accept' | 'reject' | 'view') => {
    setDone('');
    if (what === 'view') {
      await downloadFile(base, preview?.name ?? `${docKey}.pdf`);
      return;
    }
    await post(what === 'request' ? base : `${base}/${what}`);
    setDone(what === 'request' ? t('evidence.asked', { source }) : what === 'accept' ? t('evidence.used', { title }) : t('evidence.discarded'));
    onChanged();
  });
  const id = `evidence-${index}`;
  const problem = act.problem as ApiError | undefined;
  return (
    <div class="evidence" data-evidence={docKey} role="group" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`}>
        <strong>{t('evidence.offer', { source, type: tr(offer.typeTitles, offer.type) })}</strong>
      </p>
      <p class="hint">{t('evidence.why', { purpose: tr(offer.purpose) })}</p>
      {preview ? (
        <>
          <p data-preview>{t('evidence.preview', { name: preview.name, size: size(preview.size), date: formatDate(preview.fetchedAt) })}</p>
          <p class="hint">{t('evidence.expires', { date: formatDate(preview.expiresAt) })}</p>
          <div class="actions">
            <button type="button" class="button secondary" disabled={act.busy} onClick={() => void act.submit('view')}>
              {t('evidence.view')}
              <span class="visually-hidden">: {title}</span>
            </button>
            <button type="button" class="button" disabled={act.busy} onClick={() => void act.submit('accept')}>
              {t('evidence.use')}
              <span class="visually-hidden">: {title}</span>
            </button>
            <button type="button" class="button secondary" disabled={act.busy} onClick={() => void act.submit('reject')}>
              {t('evidence.discard')}
              <span class="visually-hidden">: {title}</span>
            </button>
          </div>
        </>
      ) : (
        <button type="button" class="button secondary" disabled={act.busy} onClick={() => void act.submit('request')}>
          {t('evidence.get', { source })}
          <span class="visually-hidden">: {title}</span>
        </button>
      )}
      {problem ? (
        <p class="field-error" id={`${id}-error`}>
          {problem.problem?.detail ?? problem.message}
        </p>
      ) : null}
      <p role="status" class="hint">
        {done}
      </p>
    </div>
  );
}
