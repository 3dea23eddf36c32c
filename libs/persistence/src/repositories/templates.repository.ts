import { TEMPLATES_CHANNEL, type ScopedTemplate } from '@levensloop/notifications';
import { queryRows } from '../query';
import type { Db } from './db';
import { NotificationContent } from './notification-content.repository';

export interface TemplateRow {
  category: string;
  language: string;
  agency: string | null;
  version: number;
  subject: string;
  body: string;
  sms: string;
  created_at: Date;
  created_by: string;
}

export interface NewTemplate {
  category: string;
  language: string;
  /** null: global. */
  agency: string | null;
  subject: string;
  body: string;
  sms: string;
  by: string;
}

/**
 * Message templates per category and language, each version for one agency or global. Versions
 * are numbered per category and language across scopes; the newest of a scope is in force.
 */
export class Templates {
  constructor(private readonly db: Db) {}

  /**
   * Inserts the next version under a lock per category and language (two registrations at once
   * get consecutive versions), in the transaction `tx`.
   */
  async insertNextVersion(tx: Db, t: NewTemplate): Promise<TemplateRow> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('notification_templates'), hashtext($1::text || '/' || $2::text))`, [t.category, t.language]);
    const [inserted] = await queryRows<TemplateRow>(
      tx,
      `INSERT INTO notification_templates (category, language, agency, version, subject, body, sms, created_by)
       SELECT $1::varchar, $2::varchar, $7::varchar, coalesce(max(version), 0) + 1, $3::text, $4::text, $5::text, $6::varchar
         FROM notification_templates WHERE category = $1::varchar AND language = $2::varchar
       RETURNING *`,
      [t.category, t.language, t.subject, t.body, t.sms, t.by, t.agency],
    );
    return inserted;
  }

  /** Tells the dispatchers a version is registered; delivered at commit of `tx`, so none re-reads before it is visible. */
  async announce(tx: Db, t: Pick<TemplateRow, 'category' | 'language' | 'version'>): Promise<void> {
    await tx.query(`SELECT pg_notify($1, $2)`, [TEMPLATES_CHANNEL, `${t.category}/${t.language}/${t.version}`]);
  }

  /** Every version (oldest first), narrowed to a category, a language, and global plus one agency's. */
  async list(f: { category?: string; language?: string; agency?: string }): Promise<TemplateRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.category) where.push(`category = $${params.push(f.category)}`);
    if (f.language) where.push(`language = $${params.push(f.language)}`);
    if (f.agency) where.push(`(agency IS NULL OR agency = $${params.push(f.agency)})`);
    return this.db.query(`SELECT * FROM notification_templates ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY category, language, version`, params);
  }

  /** The newest version per scope (of one category and language when given). */
  async inForce(category?: string, language?: string): Promise<ScopedTemplate[]> {
    return new NotificationContent(this.db).templatesInForce(category && language ? { category, language } : undefined);
  }

  async agencyExists(code: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM agencies WHERE code = $1`, [code]);
    return rows.length > 0;
  }
}
