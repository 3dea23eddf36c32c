import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LANGUAGES, type Language } from '@levensloop/domain';
import { defaultTemplate, MESSAGE_CATEGORIES, TemplatesInForce, validateTemplate } from '@levensloop/notifications';
import { AuditLog, Templates, type TemplateRow } from '@levensloop/persistence';
import { hasRole, type Principal } from '../auth/principal';
import { forbidden, ProblemException, type FieldProblem } from '../common/problem';
import type { RegisterTemplateDto, TemplatesQuery } from './notifications.dto';

// Every category a message can have (the legal clock's and objections' too): one list, MESSAGE_CATEGORIES.
const categoryList = () => Object.keys(MESSAGE_CATEGORIES).join(', ');

/**
 * What journeys tell citizens, per category and language: a default, and the versions registered
 * over it, each for one agency (the messages its steps cause) or global (every agency without its
 * own, and what concerns the journey as a whole). The newest version of a scope is in force for
 * the next message (the registration notifies the dispatchers, which drop the templates they
 * hold); older ones stay for the record. A template may use only the values its category provides.
 */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly db: DataSource,
    private readonly templates: Templates,
    private readonly auditLog: AuditLog,
  ) {}

  /**
   * Who may register for which scope first (403), then everything wrong with the template at once
   * (422, nothing stored), then the next version under a lock per category and language.
   */
  async register(p: Principal, dto: RegisterTemplateDto) {
    const agency = registrationScope(p, dto.agency);
    const problems: FieldProblem[] = validateTemplate(dto as never);
    const category = MESSAGE_CATEGORIES[dto.category];
    const at = dto.agency === undefined ? '/category' : '/agency';
    if (agency && category?.scope === 'journey') {
      problems.push({
        path: at,
        message: `${dto.category} messages are about the journey as a whole and are told in no agency's name: their template is global (catalog admins register it without an agency)`,
      });
    }
    if (agency && !(await this.templates.agencyExists(agency))) {
      problems.push({ path: '/agency', message: `there is no agency '${agency}'${dto.agency === undefined ? ' (the agency of your token)' : ''}; register the agency first` });
    }
    if (problems.length) {
      const unknownCategory = problems.some((x) => x.path === '/category' && !category);
      throw new ProblemException(422, `The template has ${problems.length} problem(s); nothing was stored: ${problems.map((x) => `${x.path}: ${x.message}`).join('; ')}`, {
        slug: unknownCategory ? 'unknown-category' : 'invalid-template',
        title: 'Invalid template',
        errors: problems,
        ...(unknownCategory ? { extensions: { categories: Object.keys(MESSAGE_CATEGORIES) } } : {}),
      });
    }
    const row = await this.db.transaction(async (tx) => {
      // Two registrations of the same category and language at once (in any scope) get consecutive versions.
      const inserted = await this.templates.insertNextVersion(tx, { category: dto.category, language: dto.language, agency, subject: dto.subject, body: dto.body, sms: dto.sms, by: p.sub });
      await this.auditLog.append(
        {
          actor: p.sub,
          action: 'notification_template.registered',
          targetType: 'notification_template',
          targetId: `${dto.category}/${dto.language}/${inserted.version}`,
          detail: {
            category: dto.category,
            language: dto.language,
            version: inserted.version,
            scope: agency ? 'agency' : 'global',
            agency,
            actorAgency: p.agency ?? null,
          },
        },
        tx,
      );
      // Delivered at commit, so a dispatcher never re-reads before the new version is visible.
      await this.templates.announce(tx, inserted);
      return inserted;
    });
    return { ...registeredView(row), active: true, fields: MESSAGE_CATEGORIES[row.category].fields };
  }

  /**
   * Per category and language: the default and every registered version (oldest first), each with
   * its scope. `active`: what the messages of its scope use now (an agency's newest for its steps'
   * messages; the global newest, else the default, for the others). With `agency`: only the
   * default, the global versions and that agency's, `active` marking what its messages use.
   */
  async list(q: TemplatesQuery) {
    if (q.agency) await this.assertAgency(q.agency);
    const rows = await this.templates.list({ category: q.category, language: q.language, agency: q.agency });
    const categories = q.category ? [q.category] : Object.keys(MESSAGE_CATEGORIES);
    const languages = q.language ? [q.language] : LANGUAGES;
    const items = [];
    for (const category of categories) {
      for (const language of languages) {
        const versions = rows.filter((r) => r.category === category && r.language === language);
        const newest = new Map<string | null, TemplateRow>();
        for (const v of versions) newest.set(v.agency, v);
        const own = q.agency && MESSAGE_CATEGORIES[category].scope === 'step' ? newest.get(q.agency) : undefined;
        // The newest of its scope, unless the agency asked about has its own (then the global one is not what it uses).
        const inForce = (v: TemplateRow) => newest.get(v.agency) === v && (v.agency !== null || !own);
        items.push({ ...defaultView(category, language), active: !newest.has(null) && !own });
        for (const v of versions) items.push({ ...registeredView(v), active: inForce(v) });
      }
    }
    return { items };
  }

  /** The template in force (for an agency's step messages: its own, else the global one; else the default), with the placeholders it may use. */
  async active(category: string, language: string, agency?: string) {
    if (!MESSAGE_CATEGORIES[category]) {
      throw new ProblemException(404, `There is no notification category '${category}'; the categories are ${categoryList()}.`, {
        slug: 'unknown-category',
        extensions: { categories: Object.keys(MESSAGE_CATEGORIES) },
      });
    }
    if (!(LANGUAGES as readonly string[]).includes(language)) {
      throw new ProblemException(404, `There are no templates in '${language}'; the languages are ${LANGUAGES.join(', ')}.`, { slug: 'unknown-language' });
    }
    if (agency) await this.assertAgency(agency);
    const rows = await this.templates.inForce(category, language);
    const template = new TemplatesInForce(rows).for(category, language as Language, agency);
    const view = template ? registeredView(template as unknown as TemplateRow) : defaultView(category, language as Language);
    return { ...view, active: true, fields: MESSAGE_CATEGORIES[category].fields, actionNeeded: MESSAGE_CATEGORIES[category].actionNeeded };
  }

  private async assertAgency(code: string) {
    if (!(await this.templates.agencyExists(code))) throw new ProblemException(404, `There is no agency '${code}'.`, { slug: 'unknown-agency' });
  }
}

/**
 * The scope a registration is for (null: global). Catalog admins register global templates (left
 * out or null) or, on an agency's behalf, for a named one; an agency admin for its own agency only.
 */
function registrationScope(p: Principal, requested: string | null | undefined): string | null {
  if (hasRole(p, 'catalog-admin')) return requested ?? null;
  if (!p.agency) throw forbidden('Your token names no agency: an agency admin registers templates for its own agency.');
  if (requested === null) {
    throw forbidden(`You are an agency admin of '${p.agency}': you register templates for '${p.agency}' only; global templates are registered by catalog admins.`);
  }
  if (requested !== undefined && requested !== p.agency) {
    throw forbidden(`You are an agency admin of '${p.agency}', so you cannot register templates for '${requested}'.`);
  }
  return p.agency;
}

function registeredView(r: TemplateRow) {
  return {
    category: r.category,
    language: r.language,
    source: 'registered' as const,
    scope: r.agency ? ('agency' as const) : ('global' as const),
    agency: r.agency ?? null,
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
  return { category, language, source: 'default' as const, scope: 'global' as const, agency: null, version: null, subject: t.subject, body: t.body, sms: t.sms };
}
