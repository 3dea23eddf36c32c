import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LANGUAGES, type Language } from '@levensloop/domain';
import { ACTIVE_TEMPLATES_SQL, defaultTemplate, NOTIFICATION_CATEGORIES, TEMPLATES_CHANNEL, validateTemplate } from '@levensloop/notifications';
import { queryRows } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { ProblemException } from '../common/problem';
import type { RegisterTemplateDto, TemplatesQuery } from './notifications.dto';

interface TemplateRow {
  category: string;
  language: Language;
  version: number;
  subject: string;
  body: string;
  sms: string;
  created_at: Date;
  created_by: string;
}

const categoryList = () => Object.keys(NOTIFICATION_CATEGORIES).join(', ');

/**
 * What journeys tell citizens, per category and language: a default, and the versions agencies
 * register over it. The newest version is in force for the next message (the registration
 * notifies the dispatchers, which drop the templates they hold); older ones stay for the record. A template may use only the values its category provides.
 */
@Injectable()
export class TemplatesService {
  constructor(private readonly db: DataSource) {}

  /** Validated as a whole (nothing stored on any problem), then stored as the next version under a lock per category and language. */
  async register(p: Principal, dto: RegisterTemplateDto) {
    const problems = validateTemplate(dto as never);
    if (problems.length) {
      const unknownCategory = problems.some((x) => x.path === '/category');
      throw new ProblemException(422, `The template has ${problems.length} problem(s); nothing was stored: ${problems.map((x) => `${x.path}: ${x.message}`).join('; ')}`, {
        slug: unknownCategory ? 'unknown-category' : 'invalid-template',
        title: 'Invalid template',
        errors: problems,
        ...(unknownCategory ? { extensions: { categories: Object.keys(NOTIFICATION_CATEGORIES) } } : {}),
      });
    }
    const row = await this.db.transaction(async (tx) => {
      // Two registrations of the same category and language at once get consecutive versions.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('notification_templates'), hashtext($1::text || '/' || $2::text))`, [dto.category, dto.language]);
      const [inserted] = await queryRows<TemplateRow>(
        tx,
        `INSERT INTO notification_templates (category, language, version, subject, body, sms, created_by)
         SELECT $1::varchar, $2::varchar, coalesce(max(version), 0) + 1, $3::text, $4::text, $5::text, $6::varchar
           FROM notification_templates WHERE category = $1::varchar AND language = $2::varchar
         RETURNING *`,
        [dto.category, dto.language, dto.subject, dto.body, dto.sms, p.sub],
      );
      await tx.query(`INSERT INTO audit_log (actor, action, target_type, target_id, detail) VALUES ($1, 'notification_template.registered', 'notification_template', $2, $3)`, [
        p.sub,
        `${dto.category}/${dto.language}/${inserted.version}`,
        JSON.stringify({ category: dto.category, language: dto.language, version: inserted.version, agency: p.agency ?? null }),
      ]);
      // Delivered at commit, so a dispatcher never re-reads before the new version is visible.
      await tx.query(`SELECT pg_notify($1, $2)`, [TEMPLATES_CHANNEL, `${dto.category}/${dto.language}/${inserted.version}`]);
      return inserted;
    });
    return { ...registeredView(row), active: true, fields: NOTIFICATION_CATEGORIES[row.category].fields };
  }

  /** Per category and language: the default and every registered version (oldest first), the one in force marked `active`. */
  async list(q: TemplatesQuery) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.category) where.push(`category = $${params.push(q.category)}`);
    if (q.language) where.push(`language = $${params.push(q.language)}`);
    const rows = await this.db.query<TemplateRow[]>(
      `SELECT * FROM notification_templates ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY category, language, version`,
      params,
    );
    const categories = q.category ? [q.category] : Object.keys(NOTIFICATION_CATEGORIES);
    const languages = q.language ? [q.language] : LANGUAGES;
    const items = [];
    for (const category of categories) {
      for (const language of languages) {
        const versions = rows.filter((r) => r.category === category && r.language === language);
        const newest = versions[versions.length - 1];
        items.push({ ...defaultView(category, language), active: !newest });
        for (const v of versions) items.push({ ...registeredView(v), active: v === newest });
      }
    }
    return { items };
  }

  /** The template in force: the newest registered version, else the default; with the placeholders it may use. */
  async active(category: string, language: string) {
    if (!NOTIFICATION_CATEGORIES[category]) {
      throw new ProblemException(404, `There is no notification category '${category}'; the categories are ${categoryList()}.`, {
        slug: 'unknown-category',
        extensions: { categories: Object.keys(NOTIFICATION_CATEGORIES) },
      });
    }
    if (!(LANGUAGES as readonly string[]).includes(language)) {
      throw new ProblemException(404, `There are no templates in '${language}'; the languages are ${LANGUAGES.join(', ')}.`, { slug: 'unknown-language' });
    }
    const rows = await this.db.query<TemplateRow[]>(`SELECT * FROM (${ACTIVE_TEMPLATES_SQL}) t WHERE category = $1 AND language = $2`, [category, language]);
    const view = rows[0] ? registeredView(rows[0]) : defaultView(category, language as Language);
    return { ...view, active: true, fields: NOTIFICATION_CATEGORIES[category].fields, actionNeeded: NOTIFICATION_CATEGORIES[category].actionNeeded };
  }
}

function registeredView(r: TemplateRow) {
  return {
    category: r.category,
    language: r.language,
    source: 'registered' as const,
    version: r.version,
    subject: r.subject,
    body: r.body,
    sms: r.sms,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

function defaultView(category: string, language: Language) {
  const t = defaultTemplate(category, language);
  return { category, language, source: 'default' as const, version: null, subject: t.subject, body: t.body, sms: t.sms };
}
