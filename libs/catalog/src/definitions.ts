import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { parse as parseYaml } from 'yaml';
import { validateStepDefinition, type LifeEventDefinition, type Problem, type ServiceStepDefinition, type Translations } from '@levensloop/domain';
import { CatalogError } from './catalog-error';
import { CatalogService } from './catalog.service';

/**
 * Definitions as code: a directory with
 *   agencies.yaml          a list of { code, names }
 *   steps/<agency>.yaml    a list of service step definitions of that agency
 *   life-events/*.yaml     one life event per file; step references may say `version: latest`
 * `${VAR}` in strings is replaced by the environment variable VAR (e.g. ${SANDBOX_URL}).
 */
export interface CatalogFiles {
  agencies: Array<{ file: string; code: string; names: Translations }>;
  steps: Array<{ file: string; index: number; agency: string; definition: ServiceStepDefinition }>;
  lifeEvents: Array<{ file: string; definition: LifeEventFileDefinition }>;
}

export type LifeEventFileDefinition = Omit<LifeEventDefinition, 'nodes'> & {
  nodes: Array<Omit<LifeEventDefinition['nodes'][number], 'step'> & { step: { agency: string; key: string; version: number | 'latest' } }>;
};

export interface ApplySummary {
  agencies: { created: string[]; unchanged: string[] };
  steps: { published: string[]; unchanged: string[] };
  lifeEvents: { published: string[]; unchanged: string[] };
}

const readDoc = (file: string, env: Record<string, string | undefined>): unknown => {
  const text = fs.readFileSync(file, 'utf8').replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
    const value = env[name] ?? DEFAULTS[name];
    if (value === undefined) throw new CatalogError('invalid', `${file}: \${${name}} is not set.`);
    return value;
  });
  return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
};

const DEFAULTS: Record<string, string> = { SANDBOX_URL: 'http://127.0.0.1:3100' };

const listFiles = (dir: string) =>
  fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => path.join(dir, f)) : [];

export function loadCatalogFiles(dir: string, env: Record<string, string | undefined> = process.env): CatalogFiles {
  if (!fs.existsSync(dir)) throw new CatalogError('not_found', `Catalog directory ${dir} does not exist.`);
  const problems: Problem[] = [];
  const result: CatalogFiles = { agencies: [], steps: [], lifeEvents: [] };
  const rel = (file: string) => path.relative(dir, file);
  const agenciesFile = listFiles(dir).find((f) => /agencies\.(ya?ml|json)$/.test(f));
  const parse = (file: string) => {
    try {
      return readDoc(file, env);
    } catch (err) {
      problems.push({ path: rel(file), message: `cannot be read: ${(err as Error).message}` });
      return undefined;
    }
  };
  if (agenciesFile) {
    const doc = parse(agenciesFile);
    if (doc !== undefined && !Array.isArray(doc)) problems.push({ path: rel(agenciesFile), message: 'must be a list of { code, names }' });
    for (const a of Array.isArray(doc) ? doc : []) result.agencies.push({ file: rel(agenciesFile), code: a?.code, names: a?.names });
  }
  for (const file of listFiles(path.join(dir, 'steps'))) {
    const agency = path.basename(file).replace(/\.(ya?ml|json)$/, '');
    const doc = parse(file);
    if (doc !== undefined && !Array.isArray(doc)) problems.push({ path: rel(file), message: 'must be a list of service step definitions' });
    (Array.isArray(doc) ? doc : []).forEach((definition, index) => result.steps.push({ file: rel(file), index, agency, definition: { ...definition, agency } }));
  }
  for (const file of listFiles(path.join(dir, 'life-events'))) {
    const doc = parse(file);
    if (doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc))) problems.push({ path: rel(file), message: 'must be one life event definition' });
    else if (doc) result.lifeEvents.push({ file: rel(file), definition: doc as LifeEventFileDefinition });
  }
  if (problems.length) throw new CatalogError('invalid', 'The catalog files cannot be read.', problems);
  return result;
}

/**
 * Applies catalog files with the same validation as the API, all or nothing: agencies are
 * created if missing; a step or life event whose definition differs from its latest published
 * version becomes a new published version; identical ones are left alone.
 */
export async function applyCatalogFiles(dataSource: DataSource, files: CatalogFiles, options: { dryRun?: boolean } = {}): Promise<ApplySummary> {
  const summary: ApplySummary = { agencies: { created: [], unchanged: [] }, steps: { published: [], unchanged: [] }, lifeEvents: { published: [], unchanged: [] } };
  const problems: Problem[] = [];
  const prefix = (file: string, list: Problem[]) => list.map((p) => ({ path: `${file}#${p.path}`, message: p.message }));
  const rollback = new Error('rollback');

  // Validate what can be validated without the database first, to report everything at once.
  files.steps.forEach((s) => problems.push(...prefix(`${s.file}[${s.index}]`, validateStepDefinition(s.definition))));
  if (problems.length) throw new CatalogError('invalid', `The catalog has ${problems.length} problem(s).`, problems);

  try {
    await dataSource.transaction(async (tx) => {
      const catalog = new CatalogService(dataSource);
      for (const a of files.agencies) {
        const existing = await tx.query(`SELECT 1 FROM agencies WHERE code = $1`, [a.code]);
        if (existing.length) summary.agencies.unchanged.push(a.code);
        else {
          try {
            await catalog.createAgency(a.code, a.names, tx);
            summary.agencies.created.push(a.code);
          } catch (err) {
            problems.push(...collect(err, a.file));
          }
        }
      }
      for (const s of files.steps) {
        const name = `${s.agency}/${s.definition.key}`;
        try {
          const latest = await catalog.latestPublishedStep(s.agency, s.definition.key, tx);
          if (latest && sameStep(latest, s.definition)) {
            summary.steps.unchanged.push(`${name}@${latest.version}`);
            continue;
          }
          const draft = await catalog.createStepDraft(s.agency, s.definition, tx);
          await catalog.publishStep(s.agency, s.definition.key, draft.version, tx);
          summary.steps.published.push(`${name}@${draft.version}`);
        } catch (err) {
          problems.push(...collect(err, `${s.file}[${s.index}]`));
        }
      }
      for (const l of files.lifeEvents) {
        try {
          const nodes = [];
          for (const [i, node] of (l.definition.nodes ?? []).entries()) {
            let version = node.step?.version;
            if (version === 'latest') {
              const latest = await catalog.latestPublishedStep(node.step.agency, node.step.key, tx);
              if (!latest) {
                problems.push({ path: `${l.file}#/nodes/${i}/step`, message: `no published version of ${node.step.agency}/${node.step.key}` });
                continue;
              }
              version = latest.version;
            }
            nodes.push({ ...node, step: { ...node.step, version: version as number } });
          }
          const definition: LifeEventDefinition = { ...l.definition, nodes };
          const latest = await catalog.latestPublishedLifeEvent(definition.key, tx);
          if (latest && sameLifeEvent(latest, definition)) {
            summary.lifeEvents.unchanged.push(`${definition.key}@${latest.version}`);
            continue;
          }
          const draft = await catalog.createLifeEventDraft(definition, tx);
          await catalog.publishLifeEvent(definition.key, draft.version, tx);
          summary.lifeEvents.published.push(`${definition.key}@${draft.version}`);
        } catch (err) {
          problems.push(...collect(err, l.file));
        }
      }
      if (problems.length || options.dryRun) throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw err;
  }
  if (problems.length) throw new CatalogError('invalid', `The catalog has ${problems.length} problem(s); nothing was applied.`, problems);
  return summary;
}

function collect(err: unknown, file: string): Problem[] {
  if (err instanceof CatalogError) return err.problems.length ? err.problems.map((p) => ({ path: `${file}#${p.path}`, message: p.message })) : [{ path: file, message: err.message }];
  throw err;
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

function sameStep(a: ServiceStepDefinition, b: ServiceStepDefinition): boolean {
  const pick = (d: ServiceStepDefinition) => ({ key: d.key, kind: d.kind, titles: d.titles, endpoint: d.endpoint, serviceNorm: d.serviceNorm, retry: d.retry });
  return canonical(pick(a)) === canonical(pick(b));
}

function sameLifeEvent(a: LifeEventDefinition, b: LifeEventDefinition): boolean {
  const pick = (d: LifeEventDefinition) => ({
    key: d.key,
    audience: d.audience,
    titles: d.titles,
    nodes: d.nodes.map((n) => ({ key: n.key, step: n.step, dependsOn: n.dependsOn?.length ? n.dependsOn : undefined, condition: n.condition, optional: n.optional || undefined })),
  });
  return canonical(pick(a)) === canonical(pick(b));
}
