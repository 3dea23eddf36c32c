import { queryRows } from '@levensloop/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import {
  validateLifeEvent,
  validateStepDefinition,
  validateTranslations,
  KEY_PATTERN,
  type LifeEventDefinition,
  type LifeEventSnapshot,
  type Problem,
  type ServiceStepDefinition,
  type StepReference,
  type Translations,
  type VersionStatus,
} from '@levensloop/domain';
import { CatalogError, notFound } from './catalog-error';

export interface AgencyView {
  code: string;
  names: Translations;
  createdAt: Date;
}

export interface StepVersionView extends ServiceStepDefinition {
  version: number;
  status: VersionStatus;
  createdAt: Date;
  publishedAt: Date | null;
  retiredAt: Date | null;
}

export interface LifeEventVersionView extends LifeEventDefinition {
  version: number;
  status: VersionStatus;
  createdAt: Date;
  publishedAt: Date | null;
  retiredAt: Date | null;
}

type Db = DataSource | EntityManager;

/**
 * The catalog: agencies, their service steps and life events, each versioned
 * draft → published → retired and immutable once published. Used by the API and the CLI.
 */
export class CatalogService {
  constructor(private readonly db: DataSource) {}

  // --- agencies -------------------------------------------------------------------------------
  async createAgency(code: string, names: Translations, db: Db = this.db): Promise<AgencyView> {
    const problems: Problem[] = [];
    if (typeof code !== 'string' || !KEY_PATTERN.test(code)) problems.push({ path: '/code', message: 'code must be 2 to 64 characters of lowercase kebab case, starting with a letter (e.g. federal-finance)' });
    validateTranslations(names, '/names', problems);
    if (problems.length) throw new CatalogError('invalid', 'The agency is not valid.', problems);
    const rows = await db.query(`INSERT INTO agencies (code, names) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING *`, [code, JSON.stringify(names)]);
    if (!rows[0]) throw new CatalogError('conflict', `Agency '${code}' already exists.`);
    return toAgency(rows[0]);
  }

  async listAgencies(): Promise<AgencyView[]> {
    return (await this.db.query(`SELECT * FROM agencies ORDER BY code`)).map(toAgency);
  }

  async getAgency(code: string, db: Db = this.db): Promise<AgencyView> {
    const rows = await db.query(`SELECT * FROM agencies WHERE code = $1`, [code]);
    if (!rows[0]) throw notFound(`Agency '${code}'`);
    return toAgency(rows[0]);
  }

  // --- service steps --------------------------------------------------------------------------
  async createStepDraft(agency: string, def: ServiceStepDefinition, db: Db = this.db): Promise<StepVersionView> {
    await this.getAgency(agency, db);
    const definition = { ...def, agency };
    this.assertValid('The service step is not valid.', validateStepDefinition(definition));
    return this.withVersionRetry(async () => {
      const rows = await db.query(
        `INSERT INTO service_steps (agency, key, version, status, kind, definition)
         SELECT $1::varchar, $2::varchar, COALESCE(MAX(version), 0) + 1, 'draft', $3::varchar, $4::jsonb
           FROM service_steps WHERE agency = $1::varchar AND key = $2::varchar
         RETURNING *`,
        [agency, def.key, def.kind, JSON.stringify(definition)],
      );
      return toStep(rows[0]);
    });
  }

  async updateStepDraft(agency: string, key: string, version: number, def: ServiceStepDefinition): Promise<StepVersionView> {
    const current = await this.getStep(agency, key, version);
    if (current.status !== 'draft') throw new CatalogError('conflict', `Version ${version} of ${agency}/${key} is ${current.status} and can no longer change; create a new version instead.`);
    const definition = { ...def, agency, key };
    const problems = validateStepDefinition(definition);
    if (def.key !== undefined && def.key !== key) problems.push({ path: '/key', message: `the key of an existing step cannot change (it is '${key}')` });
    this.assertValid('The service step is not valid.', problems);
    const rows = await queryRows(this.db, `UPDATE service_steps SET definition = $4, kind = $5 WHERE agency = $1 AND key = $2 AND version = $3 AND status = 'draft' RETURNING *`,
      [agency, key, version, JSON.stringify(definition), def.kind],
    );
    if (!rows[0]) throw new CatalogError('conflict', `Version ${version} of ${agency}/${key} was published meanwhile.`);
    return toStep(rows[0]);
  }

  async publishStep(agency: string, key: string, version: number, db: Db = this.db): Promise<StepVersionView> {
    const current = await this.getStep(agency, key, version, db);
    if (current.status === 'published') return current;
    if (current.status !== 'draft') throw new CatalogError('conflict', `Version ${version} of ${agency}/${key} is ${current.status}; only drafts can be published.`);
    this.assertValid('The service step is not valid.', validateStepDefinition(current));
    const rows = await queryRows(db, `UPDATE service_steps SET status = 'published', published_at = now() WHERE agency = $1 AND key = $2 AND version = $3 AND status = 'draft' RETURNING *`,
      [agency, key, version],
    );
    return rows[0] ? toStep(rows[0]) : this.getStep(agency, key, version, db);
  }

  async retireStep(agency: string, key: string, version: number): Promise<StepVersionView> {
    const current = await this.getStep(agency, key, version);
    if (current.status === 'retired') return current;
    if (current.status !== 'published') throw new CatalogError('conflict', `Version ${version} of ${agency}/${key} is a draft; only published versions can be retired.`);
    const rows = await queryRows(this.db, `UPDATE service_steps SET status = 'retired', retired_at = now() WHERE agency = $1 AND key = $2 AND version = $3 RETURNING *`,
      [agency, key, version],
    );
    return toStep(rows[0]);
  }

  async getStep(agency: string, key: string, version: number, db: Db = this.db): Promise<StepVersionView> {
    const rows = await db.query(`SELECT * FROM service_steps WHERE agency = $1 AND key = $2 AND version = $3`, [agency, key, version]);
    if (!rows[0]) throw notFound(`Version ${version} of step ${agency}/${key}`);
    return toStep(rows[0]);
  }

  async listStepVersions(agency: string, key: string): Promise<StepVersionView[]> {
    const rows = await this.db.query(`SELECT * FROM service_steps WHERE agency = $1 AND key = $2 ORDER BY version`, [agency, key]);
    if (rows.length === 0) throw notFound(`Step ${agency}/${key}`);
    return rows.map(toStep);
  }

  /** The latest version of every step of an agency. */
  async listSteps(agency: string): Promise<StepVersionView[]> {
    await this.getAgency(agency);
    const rows = await this.db.query(`SELECT DISTINCT ON (key) * FROM service_steps WHERE agency = $1 ORDER BY key, version DESC`, [agency]);
    return rows.map(toStep);
  }

  async latestPublishedStep(agency: string, key: string, db: Db = this.db): Promise<StepVersionView | undefined> {
    const rows = await db.query(`SELECT * FROM service_steps WHERE agency = $1 AND key = $2 AND status = 'published' ORDER BY version DESC LIMIT 1`, [agency, key]);
    return rows[0] ? toStep(rows[0]) : undefined;
  }

  // --- life events ----------------------------------------------------------------------------
  async createLifeEventDraft(def: LifeEventDefinition, db: Db = this.db): Promise<LifeEventVersionView> {
    this.assertValid('The life event is not valid.', await this.validateLifeEvent(def, db));
    return this.withVersionRetry(async () => {
      const rows = await db.query(
        `INSERT INTO life_events (key, version, status, audience, definition)
         SELECT $1::varchar, COALESCE(MAX(version), 0) + 1, 'draft', $2::varchar, $3::jsonb FROM life_events WHERE key = $1::varchar
         RETURNING *`,
        [def.key, def.audience, JSON.stringify(normaliseLifeEvent(def))],
      );
      return toLifeEvent(rows[0]);
    });
  }

  async updateLifeEventDraft(key: string, version: number, def: LifeEventDefinition): Promise<LifeEventVersionView> {
    const current = await this.getLifeEvent(key, version);
    if (current.status !== 'draft') throw new CatalogError('conflict', `Version ${version} of life event '${key}' is ${current.status} and can no longer change; create a new version instead.`);
    const problems = await this.validateLifeEvent({ ...def, key }, this.db);
    if (def.key !== undefined && def.key !== key) problems.push({ path: '/key', message: `the key of an existing life event cannot change (it is '${key}')` });
    this.assertValid('The life event is not valid.', problems);
    const rows = await queryRows(this.db, `UPDATE life_events SET definition = $3, audience = $4 WHERE key = $1 AND version = $2 AND status = 'draft' RETURNING *`,
      [key, version, JSON.stringify(normaliseLifeEvent({ ...def, key })), def.audience],
    );
    if (!rows[0]) throw new CatalogError('conflict', `Version ${version} of life event '${key}' was published meanwhile.`);
    return toLifeEvent(rows[0]);
  }

  async publishLifeEvent(key: string, version: number, db: Db = this.db): Promise<LifeEventVersionView> {
    const current = await this.getLifeEvent(key, version, db);
    if (current.status === 'published') return current;
    if (current.status !== 'draft') throw new CatalogError('conflict', `Version ${version} of life event '${key}' is ${current.status}; only drafts can be published.`);
    // Referenced steps may have been retired since the draft was written.
    this.assertValid('The life event cannot be published.', await this.validateLifeEvent(current, db));
    const rows = await queryRows(db, `UPDATE life_events SET status = 'published', published_at = now() WHERE key = $1 AND version = $2 AND status = 'draft' RETURNING *`, [key, version]);
    return rows[0] ? toLifeEvent(rows[0]) : this.getLifeEvent(key, version, db);
  }

  async retireLifeEvent(key: string, version: number): Promise<LifeEventVersionView> {
    const current = await this.getLifeEvent(key, version);
    if (current.status === 'retired') return current;
    if (current.status !== 'published') throw new CatalogError('conflict', `Version ${version} of life event '${key}' is a draft; only published versions can be retired.`);
    const rows = await queryRows(this.db, `UPDATE life_events SET status = 'retired', retired_at = now() WHERE key = $1 AND version = $2 RETURNING *`, [key, version]);
    return toLifeEvent(rows[0]);
  }

  async getLifeEvent(key: string, version: number, db: Db = this.db): Promise<LifeEventVersionView> {
    const rows = await db.query(`SELECT * FROM life_events WHERE key = $1 AND version = $2`, [key, version]);
    if (!rows[0]) throw notFound(`Version ${version} of life event '${key}'`);
    return toLifeEvent(rows[0]);
  }

  async listLifeEventVersions(key: string): Promise<LifeEventVersionView[]> {
    const rows = await this.db.query(`SELECT * FROM life_events WHERE key = $1 ORDER BY version`, [key]);
    if (rows.length === 0) throw notFound(`Life event '${key}'`);
    return rows.map(toLifeEvent);
  }

  async listLifeEvents(): Promise<LifeEventVersionView[]> {
    return (await this.db.query(`SELECT DISTINCT ON (key) * FROM life_events ORDER BY key, version DESC`)).map(toLifeEvent);
  }

  async latestPublishedLifeEvent(key: string, db: Db = this.db): Promise<LifeEventVersionView | undefined> {
    const rows = await db.query(`SELECT * FROM life_events WHERE key = $1 AND status = 'published' ORDER BY version DESC LIMIT 1`, [key]);
    return rows[0] ? toLifeEvent(rows[0]) : undefined;
  }

  /** What a journey runs: a published life event with every step definition resolved and pinned. */
  async resolveSnapshot(key: string, version?: number): Promise<LifeEventSnapshot> {
    const lifeEvent = version === undefined ? await this.latestPublishedLifeEvent(key) : await this.getLifeEvent(key, version).catch(() => undefined);
    if (!lifeEvent || lifeEvent.status !== 'published') throw new CatalogError('not_found', `There is no published version${version ? ` ${version}` : ''} of life event '${key}'.`);
    const steps = await this.loadSteps(lifeEvent.nodes.map((n) => n.step), this.db);
    return {
      key: lifeEvent.key,
      version: lifeEvent.version,
      audience: lifeEvent.audience,
      titles: lifeEvent.titles,
      nodes: lifeEvent.nodes.map((node) => {
        const step = steps.get(refKey(node.step))!;
        const { status: _s, createdAt: _c, publishedAt: _p, retiredAt: _r, ...definition } = step;
        return { ...node, definition };
      }),
    };
  }

  async validateLifeEvent(def: LifeEventDefinition, db: Db): Promise<Problem[]> {
    const refs = (Array.isArray(def.nodes) ? def.nodes : []).map((n) => n?.step).filter((r): r is StepReference => !!r && typeof r.agency === 'string' && typeof r.key === 'string' && Number.isInteger(r.version));
    const steps = await this.loadSteps(refs, db);
    return validateLifeEvent(def, (ref) => steps.get(refKey(ref)) && { status: steps.get(refKey(ref))!.status, definition: steps.get(refKey(ref))! });
  }

  private async loadSteps(refs: StepReference[], db: Db): Promise<Map<string, StepVersionView>> {
    if (refs.length === 0) return new Map();
    const rows = await db.query(
      `SELECT s.* FROM service_steps s JOIN unnest($1::text[], $2::text[], $3::int[]) AS r(agency, key, version)
         ON s.agency = r.agency AND s.key = r.key AND s.version = r.version`,
      [refs.map((r) => r.agency), refs.map((r) => r.key), refs.map((r) => r.version)],
    );
    return new Map(rows.map((row: Record<string, unknown>) => [refKey(row as unknown as StepReference), toStep(row)]));
  }

  private assertValid(message: string, problems: Problem[]) {
    if (problems.length) throw new CatalogError('invalid', `${message} ${problems.length} problem(s) to fix.`, problems);
  }

  /** Two drafts created at once race for the same version number: the loser retries. */
  private async withVersionRetry<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        if ((err as { code?: string }).code !== '23505' || attempt >= 4) throw err;
      }
    }
  }
}

const refKey = (r: StepReference) => `${r.agency}/${r.key}/${r.version}`;

function normaliseLifeEvent(def: LifeEventDefinition): LifeEventDefinition {
  return {
    key: def.key,
    audience: def.audience,
    titles: def.titles,
    nodes: def.nodes.map((n) => ({
      key: n.key,
      step: { agency: n.step.agency, key: n.step.key, version: n.step.version },
      ...(n.dependsOn?.length ? { dependsOn: n.dependsOn } : {}),
      ...(n.condition !== undefined ? { condition: n.condition } : {}),
      ...(n.optional ? { optional: true } : {}),
    })),
  };
}

function toAgency(row: Record<string, any>): AgencyView {
  return { code: row.code, names: row.names, createdAt: row.created_at };
}

function toStep(row: Record<string, any>): StepVersionView {
  return { ...row.definition, agency: row.agency, key: row.key, version: row.version, status: row.status, createdAt: row.created_at, publishedAt: row.published_at, retiredAt: row.retired_at };
}

function toLifeEvent(row: Record<string, any>): LifeEventVersionView {
  return { ...row.definition, key: row.key, version: row.version, status: row.status, createdAt: row.created_at, publishedAt: row.published_at, retiredAt: row.retired_at };
}
