import {
  AGENCY_ROLES,
  endpointHostProblem,
  isRoleReference,
  validateServes,
  type AgencyServes,
  KEY_PATTERN,
  normaliseEndpointHosts,
  validateEndpointHosts,
  validateLifeEvent,
  validateStepDefinition,
  validateTranslations,
  type LifeEventDefinition,
  type LifeEventSnapshot,
  type Problem,
  type ServiceStepDefinition,
  type StepReference,
  type Translations,
  type VersionStatus,
} from '@levensloop/domain';
import { SOURCE_CATALOG, type EventTypeMap } from '@levensloop/sources';
import { AgencyEntity, AgencyRouting, appendAudit, LifeEventEntity, ServiceStepEntity } from '@levensloop/persistence';
import type { DataSource, EntityManager, FindOptionsWhere, QueryDeepPartialEntity, Repository } from 'typeorm';
import { assertValid, CatalogError, conflict, isUniqueViolation, notFound } from './catalog-error';
import { applyCatalogFiles, type ApplyOptions, type ApplySummary } from './definitions/apply';
import { loadCatalogFiles } from './definitions/files';
import { EventTypeCatalog } from './event-types/event-type-catalog';
import { assertEventTypeFiles, checkEventTypeFiles, registerEventTypes } from './event-types/event-type-files';
import { knownEventTypes, triggerTypeProblems } from './event-types/trigger-check';
import { normaliseLifeEvent, normaliseStep, normaliseTitles, sameRule } from './normalise';
import { listTeams, registerTeam, stepTeamProblemsIn, type TeamView } from './teams/agency-teams';
import {
  stepDefinitionOf,
  toAgencyView,
  toLifeEventView,
  toStepView,
  type AgencyView,
  type LifeEventVersionView,
  type StepDraftInput,
  type StepVersionView,
} from './views';

/** Which agencies serving a role offer a step, and which do not (yet). */
export interface OfferedByView {
  role: string;
  key: string;
  offeredBy: Array<{ agency: string; names: Translations; serves: string; version: number }>;
  notOfferedBy: Array<{ agency: string; names: Translations; serves: string }>;
}

export interface CatalogOptions {
  /** The production profile: automatic steps must call https endpoints. */
  httpsEndpointsOnly?: boolean;
  /** Who the changes are made for: every change is audited under this name (default `system`). */
  actor?: string;
  /** Event types about to be registered with these changes (definitions as code): triggers may name them. */
  pendingEventTypes?: EventTypeMap;
}

/** First key of every advisory lock the catalog takes (the second is a hash of the name). */
const LOCK_CLASS = 0x4341_5401; // "CAT\x01"

/**
 * The catalog: agencies, their service steps, and life events composed of those steps. Steps and
 * life events are versioned draft → published → retired and immutable once published. One class
 * for the API (a Nest provider) and the CLI; every method that writes runs in one transaction
 * and writes nothing when validation fails.
 */
export class CatalogService {
  /**
   * @param manager set only by {@link transaction}: the service bound to an open transaction.
   * @param actor who the changes are audited as (see {@link as}).
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly manager?: EntityManager,
    private readonly options: CatalogOptions = {},
  ) {}

  get actor(): string {
    return this.options.actor ?? 'system';
  }

  /** The service acting for `actor`: every change it makes is audited under that name. */
  as(actor: string): CatalogService {
    return new CatalogService(this.dataSource, this.manager, { ...this.options, actor });
  }

  /**
   * Runs `work` in one transaction. Inside another one it becomes a savepoint, so a refused
   * operation (e.g. during an apply) is undone on its own and the outer transaction goes on.
   */
  async transaction<T>(work: (catalog: CatalogService) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(new CatalogService(this.dataSource, tx, this.options)));
  }

  // --- agencies ---------------------------------------------------------------------------------

  /** `endpointHosts`: the hosts its automatic steps may call (see {@link setEndpointHosts}). */
  async createAgency(code: string, names: Translations, endpointHosts: string[] = [], serves: AgencyServes = {}): Promise<AgencyView> {
    const problems: Problem[] = [];
    if (typeof code !== 'string' || !KEY_PATTERN.test(code)) {
      problems.push({ path: '/code', message: 'code must be 2 to 64 characters of lowercase kebab case, starting with a letter (e.g. federal-finance)' });
    }
    validateTranslations(names, '/names', problems);
    problems.push(...validateEndpointHosts(endpointHosts, '/endpointHosts'));
    problems.push(...validateServes(serves));
    assertValid('The agency', problems);
    const duplicate = () => conflict(`Agency '${code}' already exists.`);
    try {
      return await this.transaction(async (c) => {
        if (await c.agencies.existsBy({ code })) throw duplicate();
        await c.agencies.insert({ code, names: normaliseTitles(names), endpointHosts: normaliseEndpointHosts(endpointHosts), serves });
        await c.audit('agency.created', 'agency', code, { names: normaliseTitles(names), endpointHosts: normaliseEndpointHosts(endpointHosts), ...(Object.keys(serves).length ? { serves } : {}) });
        return toAgencyView(await c.agencies.findOneByOrFail({ code }));
      });
    } catch (err) {
      // Two creations at once: the loser hits the primary key.
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
  }

  async listAgencies(): Promise<AgencyView[]> {
    return (await this.agencies.find({ order: { code: 'ASC' } })).map(toAgencyView);
  }

  async getAgency(code: string): Promise<AgencyView> {
    const row = await this.agencies.findOneBy({ code });
    if (!row) throw notFound(`Agency '${code}'`);
    return toAgencyView(row);
  }

  async agencyExists(code: string): Promise<boolean> {
    return this.agencies.existsBy({ code });
  }

  /**
   * Replaces the hosts an agency's automatic steps may call (catalog admins). Drafts are checked
   * against the list when saved and published, and every call against the list of the moment,
   * so removing a host stops calls to it (after the worker's short cache) without new versions.
   */
  async setEndpointHosts(code: string, endpointHosts: string[]): Promise<AgencyView> {
    assertValid('The endpoint hosts', validateEndpointHosts(endpointHosts, '/endpointHosts'));
    return this.transaction(async (c) => {
      const row = await c.agencies.findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw notFound(`Agency '${code}'`);
      const hosts = normaliseEndpointHosts(endpointHosts);
      await c.agencies.update({ code }, { endpointHosts: hosts });
      await c.audit('agency.endpoint_hosts_changed', 'agency', code, { from: row.endpointHosts ?? [], to: hosts });
      return toAgencyView(await c.agencies.findOneByOrFail({ code }));
    });
  }

  /**
   * Replaces what an agency serves per agency role (e.g. { municipality: '44021' }); true when it
   * changed. Steps named by role are routed to it from then on (audited).
   */
  async setServes(code: string, serves: AgencyServes): Promise<boolean> {
    assertValid('What the agency serves', validateServes(serves));
    return this.transaction(async (c) => {
      const row = await c.agencies.findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw notFound(`Agency '${code}'`);
      if (stableJson(row.serves ?? {}) === stableJson(serves)) return false;
      await c.agencies.update({ code }, { serves });
      await c.audit('agency.serves_changed', 'agency', code, { from: row.serves ?? {}, to: serves });
      return true;
    });
  }

  /**
   * Which agencies serving `role` offer step `key` (the version they publish), and which do not
   * (version null): what the catalogue shows for a step named by role.
   */
  async offeredBy(key: string, role = 'municipality'): Promise<OfferedByView> {
    if (!AGENCY_ROLES[role]) throw notFound(`Agency role '${role}'`);
    const rows = await new AgencyRouting(this.db).offeredBy(role, key);
    return {
      role,
      key,
      offeredBy: rows.filter((r) => r.version !== null).map((r) => ({ agency: r.code, names: r.names, serves: r.served, version: r.version! })),
      notOfferedBy: rows.filter((r) => r.version === null).map((r) => ({ agency: r.code, names: r.names, serves: r.served })),
    };
  }

  /** The agency's registered teams (./teams/agency-teams.ts); 404 when the agency does not exist. */
  async listTeams(agency: string): Promise<TeamView[]> {
    await this.getAgency(agency);
    return listTeams(this.db, agency);
  }

  /** Registers a team of the agency (catalog admins; audited): a code and names in the four languages. */
  async registerTeam(agency: string, team: { code?: unknown; names?: unknown }): Promise<TeamView> {
    return this.transaction(async (c) => {
      await c.getAgency(agency);
      return registerTeam(c.db, agency, team, c.actor);
    });
  }

  /** The hosts an agency's steps may call now; undefined when the agency does not exist. */
  async agencyEndpointHosts(code: string): Promise<string[] | undefined> {
    const row = await this.agencies.findOne({ where: { code }, select: { code: true, endpointHosts: true } });
    return row?.endpointHosts;
  }

  // --- service steps ----------------------------------------------------------------------------

  /** A new draft version (max + 1) of a step of `agency`: a new step, or the next version of one. */
  async createStepDraft(agency: string, input: StepDraftInput): Promise<StepVersionView> {
    return this.transaction(async (c) => {
      await c.getAgency(agency);
      const def = c.stepForAgency(agency, input);
      const problems = [...c.agencyMismatch(agency, input), ...validateStepDefinition(def, SOURCE_CATALOG)];
      problems.push(...(await c.endpointProblems(agency, def, problems)));
      problems.push(...(await stepTeamProblemsIn(c.db, agency, def)));
      problems.push(...(await c.ruleConflicts(agency, def, undefined, problems)));
      assertValid('The service step', problems);
      const version = await c.nextVersion(c.steps, `step:${agency}/${def.key}`, { agency, key: def.key });
      await c.steps.insert({ agency, key: def.key, version, status: 'draft', kind: def.kind, definition: normaliseStep(def) });
      await c.audit('step.drafted', 'service_step', `${agency}/${def.key}@${version}`, { kind: def.kind, endpoint: def.endpoint ?? null });
      return c.getStep(agency, def.key, version);
    });
  }

  /** Replaces the definition of a draft; published and retired versions never change. */
  async updateStepDraft(agency: string, key: string, version: number, input: StepDraftInput): Promise<StepVersionView> {
    return this.transaction(async (c) => {
      const row = await c.lockStep(agency, key, version);
      if (row.status !== 'draft') throw immutable(`Version ${version} of step ${agency}/${key}`, row.status);
      const def = c.stepForAgency(agency, { ...input, key: input?.key ?? key });
      const problems = [...c.agencyMismatch(agency, input), ...validateStepDefinition(def, SOURCE_CATALOG)];
      if (def.key !== key) problems.push({ path: '/key', message: `the key of a step cannot change: it is '${key}' (create a new step for a new key)` });
      problems.push(...(await c.endpointProblems(agency, def, problems)));
      problems.push(...(await stepTeamProblemsIn(c.db, agency, def)));
      problems.push(...(await c.ruleConflicts(agency, def, version, problems)));
      assertValid('The service step', problems);
      const before = row.definition as { endpoint?: string };
      await c.steps.update({ agency, key, version }, { kind: def.kind, definition: normaliseStep(def) });
      const target = `${agency}/${key}@${version}`;
      await c.audit('step.draft_updated', 'service_step', target, { kind: def.kind, changed: changedKeys(before, normaliseStep(def)) });
      // Where the engine sends a person's data: worth its own entry.
      if ((before.endpoint ?? null) !== (def.endpoint ?? null)) await c.audit('step.endpoint_changed', 'service_step', target, { from: before.endpoint ?? null, to: def.endpoint ?? null });
      return c.getStep(agency, key, version);
    });
  }

  /** draft → published. Publishing a published version again changes nothing (safe to retry). */
  async publishStep(agency: string, key: string, version: number): Promise<StepVersionView> {
    return this.transaction(async (c) => {
      const row = await c.lockStep(agency, key, version);
      if (row.status === 'published') return toStepView(row);
      if (row.status === 'retired') throw conflict(`Version ${version} of step ${agency}/${key} is retired and cannot be published again; create a new version.`);
      // The rules (and the source catalog) may have become stricter since the draft was saved.
      const def = stepDefinitionOf(toStepView(row));
      const problems = validateStepDefinition(def, SOURCE_CATALOG);
      problems.push(...(await c.endpointProblems(agency, def, problems)));
      problems.push(...(await stepTeamProblemsIn(c.db, agency, def)));
      if (!problems.length && def.kind === 'decision' && def.rule) {
        // Held until commit, so two steps cannot publish different content under one rule id+version at once.
        await c.lock(`rule:${agency}/${def.rule.id}@${def.rule.version}`);
        problems.push(...(await c.ruleConflicts(agency, def, version, problems)));
      }
      assertValid('The service step', problems);
      await c.steps.update({ agency, key, version }, { status: 'published', publishedAt: () => 'now()' });
      await c.audit('step.published', 'service_step', `${agency}/${key}@${version}`, { endpoint: def.endpoint ?? null });
      return c.getStep(agency, key, version);
    });
  }

  /**
   * published → retired: no new life event may use it. Published life events that use it stay
   * valid and running journeys keep their pinned definition.
   */
  async retireStep(agency: string, key: string, version: number): Promise<StepVersionView> {
    return this.transaction(async (c) => {
      const row = await c.lockStep(agency, key, version);
      if (row.status === 'retired') return toStepView(row);
      if (row.status === 'draft') throw conflict(`Version ${version} of step ${agency}/${key} is a draft; only published versions can be retired.`);
      await c.steps.update({ agency, key, version }, { status: 'retired', retiredAt: () => 'now()' });
      await c.audit('step.retired', 'service_step', `${agency}/${key}@${version}`, null);
      return c.getStep(agency, key, version);
    });
  }

  async getStep(agency: string, key: string, version: number): Promise<StepVersionView> {
    const row = await this.steps.findOneBy({ agency, key, version });
    if (!row) throw notFound(`Version ${version} of step ${agency}/${key}`);
    return toStepView(row);
  }

  /** Every version of a step, oldest first. */
  async listStepVersions(agency: string, key: string): Promise<StepVersionView[]> {
    const rows = await this.steps.find({ where: { agency, key }, order: { version: 'ASC' } });
    if (rows.length === 0) {
      await this.getAgency(agency);
      throw notFound(`Step ${agency}/${key}`);
    }
    return rows.map(toStepView);
  }

  /** The latest version (whatever its status) of every step, of one agency or of all. */
  async listSteps(agency?: string): Promise<StepVersionView[]> {
    if (agency !== undefined) await this.getAgency(agency);
    const query = this.steps
      .createQueryBuilder('s')
      .distinctOn(['s.agency', 's.key'])
      .orderBy('s.agency', 'ASC')
      .addOrderBy('s.key', 'ASC')
      .addOrderBy('s.version', 'DESC');
    if (agency !== undefined) query.where('s.agency = :agency', { agency });
    return (await query.getMany()).map(toStepView);
  }

  /** Every version of every step, by agency, key and version; `status` keeps only those in it (e.g. what life events may use). */
  async listAllStepVersions(status?: VersionStatus): Promise<StepVersionView[]> {
    const rows = await this.steps.find({ where: status ? { status } : {}, order: { agency: 'ASC', key: 'ASC', version: 'ASC' } });
    return rows.map(toStepView);
  }

  async latestPublishedStep(agency: string, key: string): Promise<StepVersionView | undefined> {
    const row = await this.steps.findOne({ where: { agency, key, status: 'published' }, order: { version: 'DESC' } });
    return row ? toStepView(row) : undefined;
  }

  // --- life events ------------------------------------------------------------------------------

  /** A new draft version (max + 1) of a life event; every referenced step must be published. */
  async createLifeEventDraft(def: LifeEventDefinition): Promise<LifeEventVersionView> {
    return this.transaction(async (c) => {
      assertValid('The life event', await c.validateLifeEvent(def));
      const version = await c.nextVersion(c.lifeEvents, `life-event:${def.key}`, { key: def.key });
      await c.lifeEvents.insert({ key: def.key, version, status: 'draft', audience: def.audience, definition: lifeEventJsonb(def) });
      await c.audit('life_event.drafted', 'life_event', `${def.key}@${version}`, { audience: def.audience });
      return c.getLifeEvent(def.key, version);
    });
  }

  async updateLifeEventDraft(key: string, version: number, input: LifeEventDefinition): Promise<LifeEventVersionView> {
    return this.transaction(async (c) => {
      const def = { ...input, key: input?.key ?? key };
      const row = await c.lockLifeEvent(key, version);
      if (row.status !== 'draft') throw immutable(`Version ${version} of life event '${key}'`, row.status);
      const problems = await c.validateLifeEvent(def);
      if (def.key !== key) problems.push({ path: '/key', message: `the key of a life event cannot change: it is '${key}' (create a new life event for a new key)` });
      assertValid('The life event', problems);
      await c.lifeEvents.update({ key, version }, { audience: def.audience, definition: lifeEventJsonb(def) });
      await c.audit('life_event.draft_updated', 'life_event', `${key}@${version}`, { changed: changedKeys(row.definition as object, lifeEventJsonb(def) as object) });
      return c.getLifeEvent(key, version);
    });
  }

  /** draft → published, after validating again: a referenced step may have been retired meanwhile. */
  async publishLifeEvent(key: string, version: number): Promise<LifeEventVersionView> {
    return this.transaction(async (c) => {
      const row = await c.lockLifeEvent(key, version);
      if (row.status === 'published') return toLifeEventView(row);
      if (row.status === 'retired') throw conflict(`Version ${version} of life event '${key}' is retired and cannot be published again; create a new version.`);
      const { version: _v, status: _s, createdAt: _c, publishedAt: _p, retiredAt: _r, ...definition } = toLifeEventView(row);
      const problems = await c.validateLifeEvent(definition);
      // Each trigger names a registered start type and reads paths its schema declares.
      if (!problems.length) problems.push(...triggerTypeProblems(definition.triggers, { ...(await knownEventTypes(c.db)), ...c.options.pendingEventTypes }));
      if (problems.length) throw new CatalogError('invalid', `Version ${version} of life event '${key}' cannot be published: ${problems.length} problem(s); update the draft.`, problems);
      await c.lifeEvents.update({ key, version }, { status: 'published', publishedAt: () => 'now()' });
      await c.audit('life_event.published', 'life_event', `${key}@${version}`, null);
      return c.getLifeEvent(key, version);
    });
  }

  /** published → retired: no new journeys start on it; running journeys are not affected. */
  async retireLifeEvent(key: string, version: number): Promise<LifeEventVersionView> {
    return this.transaction(async (c) => {
      const row = await c.lockLifeEvent(key, version);
      if (row.status === 'retired') return toLifeEventView(row);
      if (row.status === 'draft') throw conflict(`Version ${version} of life event '${key}' is a draft; only published versions can be retired.`);
      await c.lifeEvents.update({ key, version }, { status: 'retired', retiredAt: () => 'now()' });
      await c.audit('life_event.retired', 'life_event', `${key}@${version}`, null);
      return c.getLifeEvent(key, version);
    });
  }

  async getLifeEvent(key: string, version: number): Promise<LifeEventVersionView> {
    const row = await this.lifeEvents.findOneBy({ key, version });
    if (!row) throw notFound(`Version ${version} of life event '${key}'`);
    return toLifeEventView(row);
  }

  async listLifeEventVersions(key: string): Promise<LifeEventVersionView[]> {
    const rows = await this.lifeEvents.find({ where: { key }, order: { version: 'ASC' } });
    if (rows.length === 0) throw notFound(`Life event '${key}'`);
    return rows.map(toLifeEventView);
  }

  /** The latest version (whatever its status) of every life event. */
  async listLifeEvents(): Promise<LifeEventVersionView[]> {
    const rows = await this.lifeEvents
      .createQueryBuilder('l')
      .distinctOn(['l.key'])
      .orderBy('l.key', 'ASC')
      .addOrderBy('l.version', 'DESC')
      .getMany();
    return rows.map(toLifeEventView);
  }

  /** The latest published version of every life event (what new journeys start on), by key. */
  async listLatestPublishedLifeEvents(): Promise<LifeEventVersionView[]> {
    const rows = await this.lifeEvents
      .createQueryBuilder('l')
      .distinctOn(['l.key'])
      .where('l.status = :status', { status: 'published' })
      .orderBy('l.key', 'ASC')
      .addOrderBy('l.version', 'DESC')
      .getMany();
    return rows.map(toLifeEventView);
  }

  async latestPublishedLifeEvent(key: string): Promise<LifeEventVersionView | undefined> {
    const row = await this.lifeEvents.findOne({ where: { key, status: 'published' }, order: { version: 'DESC' } });
    return row ? toLifeEventView(row) : undefined;
  }

  /**
   * Validates a life event against the catalog as it is now (references must exist and be
   * published). Returns every problem; writes nothing.
   */
  async validateLifeEvent(def: LifeEventDefinition): Promise<Problem[]> {
    const nodes: unknown[] = def && Array.isArray(def.nodes) ? def.nodes : [];
    const refs = nodes.map((n) => (n as { step?: unknown } | null)?.step).filter(isStepReference);
    const found = await this.loadSteps(refs);
    const templates = await this.roleTemplates(nodes.map((n) => (n as { step?: StepReference } | null)?.step));
    return validateLifeEvent(
      def,
      (ref) => {
        if (isRoleReference(ref)) {
          const template = templates.get(`${ref.agencyRole}/${ref.key}`);
          return template && { status: 'published', definition: template.definition };
        }
        const step = found.get(refKey(ref));
        return step && { status: step.status, definition: stepDefinitionOf(step) };
      },
      SOURCE_CATALOG,
    );
  }

  // --- journeys ---------------------------------------------------------------------------------

  /**
   * What a journey runs: a published life event (the latest published one when `version` is left
   * out) with the definition of every referenced step version pinned in. Referenced steps that
   * were retired after the life event was published are included as they were.
   */
  async resolveSnapshot(key: string, version?: number): Promise<LifeEventSnapshot> {
    const row =
      version === undefined
        ? await this.lifeEvents.findOne({ where: { key, status: 'published' }, order: { version: 'DESC' } })
        : await this.lifeEvents.findOneBy({ key, version });
    const view = row ? toLifeEventView(row) : undefined;
    if (!view || view.status !== 'published') {
      const which = version === undefined ? 'no published version' : view ? `version ${version} is ${view.status}, not published` : `version ${version} does not exist`;
      throw new CatalogError('not_found', `Life event '${key}' cannot start a journey: ${which}.`);
    }
    const steps = await this.loadSteps(view.nodes.map((n) => n.step).filter((r) => !isRoleReference(r)));
    const templates = await this.roleTemplates(view.nodes.map((n) => n.step));
    return {
      key: view.key,
      version: view.version,
      audience: view.audience,
      titles: view.titles,
      ...(view.triggers ? { triggers: view.triggers } : {}),
      nodes: view.nodes.map((node) => {
        if (isRoleReference(node.step)) {
          // Routed when the step starts; until then the role's answering agency holds it, as the
          // first agency offering it describes it (version 0: pinned by the routing).
          const template = templates.get(`${node.step.agencyRole}/${node.step.key}`);
          if (!template) throw new CatalogError('conflict', `Life event '${key}' cannot start a journey: no agency serving role '${node.step.agencyRole}' offers step '${node.step.key}' any more.`);
          return { ...node, definition: { ...template.definition, agency: node.step.agency, version: 0 } };
        }
        const step = steps.get(refKey(node.step));
        // Rows are never deleted and references were checked on publish: a gap is a bug, not bad input.
        if (!step) throw new Error(`Life event ${key} v${view.version} references ${refKey(node.step)}, which is missing from the catalog.`);
        return { ...node, definition: { ...stepDefinitionOf(step), version: step.version } };
      }),
    };
  }

  // --- definitions as code ----------------------------------------------------------------------

  /**
   * Applies the definition files in `dir` (see infra/catalog/README.md) in one transaction,
   * idempotently; with `dryRun` everything is validated and rolled back. Throws an `invalid`
   * CatalogError listing every problem (with file names) and writes nothing when any is found.
   */
  async applyDefinitions(dir: string, options: ApplyOptions = {}): Promise<ApplySummary> {
    const files = loadCatalogFiles(dir, options.env);
    // Event types (event-types/*.yaml) are checked before anything is written, and registered
    // once the rest has applied: a refused apply writes none of them.
    const eventTypes = new EventTypeCatalog(this.dataSource);
    const checked = await checkEventTypeFiles(eventTypes, dir);
    assertEventTypeFiles(checked);
    // The life events of the files may be triggered by the types the files register.
    const pendingEventTypes = Object.fromEntries((checked?.entries ?? []).map((e) => [e.type, e]));
    const summary = await applyCatalogFiles(new CatalogService(this.dataSource, this.manager, { ...this.options, pendingEventTypes }), files, options);
    if (!checked) return summary;
    return { ...summary, eventTypes: await registerEventTypes(eventTypes, checked.entries, this.actor, !!options.dryRun) };
  }

  /** Serialises writers of the same name until the end of the current transaction. */
  async lock(name: string): Promise<void> {
    if (!this.manager) throw new Error('CatalogService.lock needs a transaction: call it inside transaction().');
    await this.manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, name]);
  }

  // --- internals --------------------------------------------------------------------------------

  /** Audits a change in the transaction that makes it (the audit log is append-only). */
  private async audit(action: string, targetType: string, targetId: string, detail: Record<string, unknown> | null): Promise<void> {
    await appendAudit(this.db, { actor: this.actor, action, targetType, targetId, detail });
  }

  private get db(): EntityManager {
    return this.manager ?? this.dataSource.manager;
  }
  private get agencies(): Repository<AgencyEntity> {
    return this.db.getRepository(AgencyEntity);
  }
  private get steps(): Repository<ServiceStepEntity> {
    return this.db.getRepository(ServiceStepEntity);
  }
  private get lifeEvents(): Repository<LifeEventEntity> {
    return this.db.getRepository(LifeEventEntity);
  }

  /**
   * The next version number under an advisory lock held until commit, so concurrent drafts of
   * the same step or life event get 1, 2, 3… instead of colliding on the primary key.
   */
  private async nextVersion<E extends ServiceStepEntity | LifeEventEntity>(repo: Repository<E>, name: string, where: FindOptionsWhere<E>): Promise<number> {
    await this.lock(name);
    return ((await repo.maximum('version' as never, where)) ?? 0) + 1;
  }

  private async lockStep(agency: string, key: string, version: number): Promise<ServiceStepEntity> {
    const row = await this.steps.findOne({ where: { agency, key, version }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw notFound(`Version ${version} of step ${agency}/${key}`);
    return row;
  }

  private async lockLifeEvent(key: string, version: number): Promise<LifeEventEntity> {
    const row = await this.lifeEvents.findOne({ where: { key, version }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw notFound(`Version ${version} of life event '${key}'`);
    return row;
  }

  private stepForAgency(agency: string, input: StepDraftInput): ServiceStepDefinition {
    return { ...input, agency: input?.agency ?? agency } as ServiceStepDefinition;
  }

  /**
   * An automatic step calls only the agency's endpoint hosts, and in the production profile only
   * over https. Skipped when the endpoint has problems of its own (not a URL, …).
   */
  private async endpointProblems(agency: string, def: ServiceStepDefinition, found: Problem[]): Promise<Problem[]> {
    // The compensation endpoint (see libs/domain compensation.ts) follows the step endpoint's rules.
    const endpoints: Array<[string, unknown]> = [
      ['/endpoint', def.kind === 'automatic' || def.kind === 'appointment' ? def.endpoint : undefined],
      ['/compensation/endpoint', def.compensation?.endpoint],
    ];
    const problems: Problem[] = [];
    for (const [path, endpoint] of endpoints) {
      if (typeof endpoint !== 'string' || found.some((p) => p.path === path)) continue;
      if (this.options.httpsEndpointsOnly && !endpoint.toLowerCase().startsWith('https:')) {
        problems.push({ path, message: 'the production profile calls agencies over https only: give an https:// endpoint' });
      }
      const hostProblem = endpointHostProblem(agency, endpoint, (await this.agencyEndpointHosts(agency)) ?? []);
      if (hostProblem) problems.push({ path, message: hostProblem });
    }
    return problems;
  }

  /** The agency is part of the address; a body that names another one is a mistake worth reporting. */
  private agencyMismatch(agency: string, input: StepDraftInput): Problem[] {
    return input?.agency !== undefined && input.agency !== agency
      ? [{ path: '/agency', message: `this step is registered for agency '${agency}' (from the path), not '${input.agency}': leave agency out or make it match` }]
      : [];
  }

  /**
   * A decision rule id+version names one rule within an agency: decisions record only the id and
   * version, so an auditor must find the same branches in every step version that carries them.
   * Compares with published and retired versions (drafts may still change); `version` is the
   * step version being saved (undefined for a new draft), which does not conflict with itself.
   */
  private async ruleConflicts(agency: string, def: ServiceStepDefinition, version: number | undefined, found: Problem[]): Promise<Problem[]> {
    const rule = def.rule;
    // A rule with problems of its own is reported as such; comparing it would only add noise.
    if (def.kind !== 'decision' || !rule || found.some((p) => p.path === '/rule' || p.path.startsWith('/rule/'))) return [];
    const rows = await this.steps
      .createQueryBuilder('s')
      .where('s.agency = :agency', { agency })
      .andWhere(`s.definition->'rule'->>'id' = :id`, { id: rule.id })
      .andWhere(`s.status IN ('published', 'retired')`)
      .orderBy('s.key')
      .addOrderBy('s.version')
      .getMany();
    const others = rows.filter((r) => !(r.key === def.key && r.version === version));
    const clash = others.find((r) => r.definition.rule?.version === rule.version && !sameRule(r.definition.rule, rule));
    if (!clash) return [];
    const next = Math.max(...rows.map((r) => r.definition.rule?.version ?? 0)) + 1;
    return [
      {
        path: '/rule/version',
        message: `rule '${rule.id}' version ${rule.version} already exists with other content (step ${agency}/${clash.key} version ${clash.version}, ${clash.status}); a changed rule is a new rule version: use version ${next}, or keep the rule exactly as published`,
      },
    ];
  }

  /** The step each role's node is checked and planned with (see AgencyRouting.template), by `role/key`. */
  private async roleTemplates(refs: Array<StepReference | undefined>): Promise<Map<string, { definition: ServiceStepDefinition }>> {
    const routing = new AgencyRouting(this.db);
    const out = new Map<string, { definition: ServiceStepDefinition }>();
    for (const ref of refs) {
      if (!isRoleReference(ref) || typeof ref.key !== 'string' || !AGENCY_ROLES[ref.agencyRole] || out.has(`${ref.agencyRole}/${ref.key}`)) continue;
      const found = await routing.template(ref.agencyRole, ref.key);
      if (found) out.set(`${ref.agencyRole}/${ref.key}`, { definition: normaliseStep({ ...found.definition, agency: found.agency, key: ref.key }) });
    }
    return out;
  }

  private async loadSteps(refs: StepReference[]): Promise<Map<string, StepVersionView>> {
    const unique = [...new Map(refs.map((r) => [refKey(r), { agency: r.agency, key: r.key, version: r.version }])).values()];
    if (unique.length === 0) return new Map();
    const rows = await this.steps.find({ where: unique });
    return new Map(rows.map((row) => [refKey(row), toStepView(row)]));
  }
}

const refKey = (r: StepReference) => `${r.agency}/${r.key}@${r.version}`;

function isStepReference(value: unknown): value is StepReference {
  const r = value as Partial<StepReference> | null | undefined;
  return !!r && r.agencyRole === undefined && typeof r.agency === 'string' && typeof r.key === 'string' && Number.isInteger(r.version) && (r.version as number) >= 1 && (r.version as number) <= 2_147_483_647;
}

/** The stored jsonb; TypeORM's deep-partial typing cannot follow a condition typed `unknown`. */
const lifeEventJsonb = (def: LifeEventDefinition) => normaliseLifeEvent(def) as QueryDeepPartialEntity<LifeEventDefinition>;

const immutable = (what: string, status: string) =>
  conflict(`${what} is ${status}: steps and life events are immutable once published. Create a new version instead.`);

/** The top-level keys whose values differ between two definitions (what a draft edit changed). */
function changedKeys(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => stableJson(a[k]) !== stableJson(b[k])).sort();
}

/** JSON with object keys sorted: a definition read back from jsonb compares equal to the one saved. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
