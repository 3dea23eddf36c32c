import type { Translations } from '@levensloop/domain';
import type { DataSource } from 'typeorm';
import { preparedRows } from '../query';

/**
 * What the citizen's dossier export reads besides the journey's own repositories: the names of
 * the agencies its steps and log entries name (the catalog's `agencies`, read only).
 */
export class DossierReads {
  constructor(private readonly db: DataSource) {}

  /** Each code's names (null when the agency has none); codes the catalog does not know are left out. One round trip. */
  async agencyNames(codes: string[]): Promise<Record<string, Translations | null>> {
    if (!codes.length) return {};
    const rows = await preparedRows<{ code: string; names: Translations | null }>(this.db, 'dossier_agency_names', `SELECT code, names FROM agencies WHERE code = ANY($1::text[])`, [codes]);
    return Object.fromEntries(rows.map((r) => [r.code, r.names]));
  }
}
