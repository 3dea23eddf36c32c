import { parseDuration } from '@levensloop/domain';

/**
 * Evidence fetched from an authentic source on the person's request, held as a preview until
 * they accept or reject it.
 */
export interface EvidenceConfig {
  /**
   * EVIDENCE_PREVIEW_TERM (default PT1H, from PT1M to P7D): how long a preview waits for the
   * person's answer. After it the preview can no longer be accepted, and the retention run
   * deletes it: what the person did not take is not kept.
   */
  previewTerm: string;
  /** The same term in milliseconds. */
  previewTermMs: number;
}

const MIN = 60_000;
const MAX = 7 * 86_400_000;

export function readEvidenceConfig(env: Record<string, string | undefined>): { config: EvidenceConfig; problems: string[] } {
  const raw = env.EVIDENCE_PREVIEW_TERM?.trim() || 'PT1H';
  const ms = parseDuration(raw);
  if (ms === undefined || ms < MIN || ms > MAX) {
    return { config: { previewTerm: 'PT1H', previewTermMs: 3_600_000 }, problems: [`EVIDENCE_PREVIEW_TERM must be an ISO-8601 duration from PT1M to P7D, such as PT1H (got ${raw})`] };
  }
  return { config: { previewTerm: raw, previewTermMs: ms }, problems: [] };
}
