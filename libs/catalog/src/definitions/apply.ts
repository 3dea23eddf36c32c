import { normaliseEndpointHosts, type LifeEventDefinition, type Problem, type Translations } from '@levensloop/domain';
import { CatalogError } from '../catalog-error';
import type { CatalogService } from '../catalog.service';
import { sameLifeEvent, sameStep } from '../normalise';
import { fileProblems, type CatalogFiles, type Entry, type FileLifeEventDefinition } from './files';
import type { Env } from './interpolate';

export interface ApplyOptions {
  /** Validate and compute what would change, then roll everything back. */
  dryRun?: boolean;
  /** Variables for `${…}` in endpoints; defaults to process.env. */
  env?: Env;
}

export interface ApplySummary {
  dir: string;
  dryRun: boolean;
  /** Agency codes; updated = an existing agency whose endpoint hosts the files changed, or that got new teams. */
  agencies: { created: string[]; updated: string[]; unchanged: string[] };
  /** `agency/key@version`: created = a new published version, unchanged = the latest published one. */
  steps: { created: string[]; unchanged: string[] };
  /** `key@version`, as for steps. */
  lifeEvents: { created: string[]; unchanged: string[] };
  /** `type@version` (a dry run: the type), when the directory has event-types/. */
  eventTypes?: { created: string[]; unchanged: string[] };
}

/** Thrown inside the transaction to roll it back (dry run, or problems found). */
class Rollback extends Error {}

/**
 * Applies parsed catalog files in one transaction, all or nothing, with the validation of the API:
 * agencies are created when missing; a step or life event whose definition differs from its
 * latest published version becomes a new published version, an identical one is left alone.
 * Life event references with `version: latest` resolve to the latest published step version,
 * including versions published by this same apply.
 *
 * Valid entries are written as the transaction goes (later entries see them), every problem is
 * collected with its file and JSON pointer, and the transaction is rolled back if there is any.
 */
export async function applyCatalogFiles(catalog: CatalogService, files: CatalogFiles, options: ApplyOptions = {}): Promise<ApplySummary> {
  const summary: ApplySummary = {
    dir: files.dir,
    dryRun: !!options.dryRun,
    agencies: { created: [], updated: [], unchanged: [] },
    steps: { created: [], unchanged: [] },
    lifeEvents: { created: [], unchanged: [] },
  };
  const problems = fileProblems(files);
  // Names defined in the files but not applied because of their own problems: say so where they are used.
  const brokenAgencies = new Map(files.agencies.filter((e) => e.problems.length).map((e) => [e.value.code, e.source]));
  const brokenSteps = new Map(files.steps.filter((e) => e.problems.length).map((e) => [`${e.value.agency}/${e.value.key}`, e.source]));

  try {
    await catalog.transaction(async (tx) => {
      await tx.lock('apply'); // two applies at once would both see "changed" and publish twice

      for (const { source, value, problems: own } of files.agencies) {
        if (own.length) continue;
        const hosts = await tx.agencyEndpointHosts(value.code);
        if (hosts === undefined) {
          await collect(problems, source, async () => {
            await tx.createAgency(value.code, value.names, value.endpointHosts, value.serves);
            summary.agencies.created.push(value.code);
          });
          await collect(problems, source, () => registerMissingTeams(tx, value.code, value.teams));
          continue;
        }
        let updated = false;
        if (value.endpointHosts && normaliseEndpointHosts(value.endpointHosts).join(',') !== hosts.join(',')) {
          // The files keep the endpoint hosts too: a changed list replaces the stored one (names stay as they are).
          await collect(problems, source, async () => {
            await tx.setEndpointHosts(value.code, value.endpointHosts!);
            updated = true;
          });
        }
        // What an agency serves (its agency roles) follows the files as well.
        if (value.serves) {
          await collect(problems, source, async () => {
            if (await tx.setServes(value.code, value.serves!)) updated = true;
          });
        }
        await collect(problems, source, async () => {
          if (await registerMissingTeams(tx, value.code, value.teams)) updated = true;
        });
        (updated ? summary.agencies.updated : summary.agencies.unchanged).push(value.code);
      }

      for (const { source, value: def, problems: own } of files.steps) {
        if (own.length) continue;
        if (!(await tx.agencyExists(def.agency))) {
          const broken = brokenAgencies.get(def.agency);
          problems.push({
            path: `${source}/agency`,
            message: broken
              ? `agency '${def.agency}' is not created because its definition at ${broken} has problems`
              : `agency '${def.agency}' does not exist: add it to agencies.yaml (a step's agency defaults to its file name)`,
          });
          continue;
        }
        const latest = await tx.latestPublishedStep(def.agency, def.key);
        if (latest && sameStep(latest, def)) {
          summary.steps.unchanged.push(`${def.agency}/${def.key}@${latest.version}`);
          continue;
        }
        await collect(problems, source, async () => {
          const draft = await tx.createStepDraft(def.agency, def);
          await tx.publishStep(def.agency, def.key, draft.version);
          summary.steps.created.push(`${def.agency}/${def.key}@${draft.version}`);
        });
      }

      for (const entry of files.lifeEvents) {
        const { definition, problems: resolution } = await resolveLatest(tx, entry, brokenSteps);
        // The domain validation reports what parsing already did at the same paths: keep one of each.
        const known = new Set([...entry.problems, ...resolution].map((p) => p.path));
        const found = (await tx.validateLifeEvent(definition)).map((p) => ({ path: `${entry.source}${p.path}`, message: p.message })).filter((p) => !known.has(p.path));
        problems.push(...resolution, ...found);
        if (entry.problems.length || resolution.length || found.length) continue;
        const latest = await tx.latestPublishedLifeEvent(definition.key);
        if (latest && sameLifeEvent(latest, definition)) {
          summary.lifeEvents.unchanged.push(`${definition.key}@${latest.version}`);
          continue;
        }
        await collect(problems, entry.source, async () => {
          const draft = await tx.createLifeEventDraft(definition);
          await tx.publishLifeEvent(definition.key, draft.version);
          summary.lifeEvents.created.push(`${definition.key}@${draft.version}`);
        });
      }

      if (problems.length || options.dryRun) throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  if (problems.length) {
    throw new CatalogError('invalid', `The catalog in ${files.dir} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was applied.`, problems);
  }
  return summary;
}

/** Replaces `version: latest` by the latest published version; unresolvable references become problems. */
async function resolveLatest(
  tx: CatalogService,
  entry: Entry<FileLifeEventDefinition>,
  brokenSteps: Map<string, string>,
): Promise<{ definition: LifeEventDefinition; problems: Problem[] }> {
  const problems: Problem[] = [];
  const nodes = Array.isArray(entry.value.nodes) ? entry.value.nodes : [];
  const resolved = [];
  for (const [i, node] of nodes.entries()) {
    const ref = node?.step;
    // A role's step is pinned when the journey routes it: stored as version 0 (see libs/domain agency-roles.ts).
    if (typeof ref?.agencyRole === 'string' && ref.version === 'latest') {
      resolved.push({ ...node, step: { ...ref, version: 0 } });
      continue;
    }
    if (ref?.version !== 'latest' || typeof ref.agency !== 'string' || typeof ref.key !== 'string') {
      resolved.push(node);
      continue;
    }
    const latest = await tx.latestPublishedStep(ref.agency, ref.key);
    if (latest) {
      resolved.push({ ...node, step: { ...ref, version: latest.version } });
      continue;
    }
    const name = `${ref.agency}/${ref.key}`;
    const broken = brokenSteps.get(name);
    problems.push({
      path: `${entry.source}/nodes/${i}/step`,
      message: broken
        ? `step ${name} is not published because its definition at ${broken} has problems`
        : `there is no published version of step ${name}: define it under steps/ or publish it first`,
    });
    resolved.push(node);
  }
  return { definition: { ...entry.value, nodes: resolved } as LifeEventDefinition, problems };
}

/** Runs one write; a refusal of the catalog becomes problems at `source`, anything else aborts. */
/** The agency's teams the files list and the catalog has not: registered (a team is never removed here); true when any was. */
async function registerMissingTeams(tx: CatalogService, agency: string, teams: Array<{ code: string; names: Translations }> | undefined): Promise<boolean> {
  if (!teams?.length || !(await tx.agencyExists(agency))) return false;
  const known = new Set((await tx.listTeams(agency)).map((t) => t.code));
  const added = teams.filter((t) => !known.has(t.code));
  for (const team of added) await tx.registerTeam(agency, team);
  return added.length > 0;
}

async function collect(problems: Problem[], source: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (!(err instanceof CatalogError)) throw err;
    if (err.problems.length) problems.push(...err.problems.map((p) => ({ path: `${source}${p.path}`, message: p.message })));
    else problems.push({ path: source, message: err.message });
  }
}
