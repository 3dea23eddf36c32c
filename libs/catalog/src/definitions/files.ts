import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  KEY_PATTERN,
  validateEndpointHosts,
  validateStepDefinition,
  validateServes,
  validateTranslations,
  type AgencyServes,
  teamRegistrationProblems,
  type LifeEventDefinition,
  type LifeEventNode,
  type Problem,
  type ServiceStepDefinition,
  type StepReference,
  type Translations,
} from '@levensloop/domain';
import { SOURCE_CATALOG } from '@levensloop/sources';
import { CatalogError } from '../catalog-error';
import { forbiddenVariableMessage, interpolate, type Env } from './interpolate';

/**
 * Definitions as code (format: infra/catalog/README.md):
 *   agencies.yaml         a list of { code, names }
 *   steps/*.yaml          service steps; `agency` defaults to the file name (steps/bank.yaml → bank)
 *   life-events/*.yaml    life events; a step reference may say `version: latest`
 * YAML (.yaml, .yml) or JSON (.json). Reading is separate from parsing so the parsing rules are
 * unit-testable without a file system.
 */

export type DocumentKind = 'agencies' | 'steps' | 'life-events';

export interface CatalogDocument {
  /** Path relative to the catalog directory, with forward slashes (used in problem paths). */
  file: string;
  kind: DocumentKind;
  content: unknown;
}

export type FileStepReference = Omit<StepReference, 'version'> & { version: number | 'latest' };
export type FileLifeEventNode = Omit<LifeEventNode, 'step'> & { step: FileStepReference };
export type FileLifeEventDefinition = Omit<LifeEventDefinition, 'nodes'> & { nodes: FileLifeEventNode[] };

/** Each entry knows where it came from: `source` + a JSON pointer is a problem path. */
export interface Entry<T> {
  source: string;
  value: T;
  /** Problems found while parsing (the entry is still returned so later checks can add theirs). */
  problems: Problem[];
}

export interface CatalogFiles {
  dir: string;
  /** `endpointHosts` undefined: the file does not say (an existing agency keeps its list). */
  /** `teams`: the agency's teams (registered when missing; see teams/agency-teams.ts). */
  agencies: Array<Entry<{ code: string; names: Translations; endpointHosts?: string[]; serves?: AgencyServes; teams?: Array<{ code: string; names: Translations }> }>>;
  steps: Array<Entry<ServiceStepDefinition>>;
  lifeEvents: Array<Entry<FileLifeEventDefinition>>;
  /** Problems not tied to one entry (unreadable files, duplicates, a wrong top-level shape). */
  problems: Problem[];
}

const EXTENSIONS = /\.(ya?ml|json)$/i;

const FIELDS = {
  agency: ['code', 'names', 'endpointHosts', 'serves', 'teams'],
  team: ['code', 'names'],
  step: ['agency', 'agencies', 'key', 'kind', 'titles', 'endpoint', 'serviceNorm', 'retry', 'dataRequirements', 'rule', 'outputs', 'team', 'compensation', 'objection', 'documents', 'appointment', 'payment'],
  serviceNorm: ['target', 'warn', 'escalate', 'maxExtension'],
  retry: ['maximumAttempts', 'initialInterval', 'backoffCoefficient', 'maximumInterval'],
  requirement: ['source', 'field', 'purpose', 'legalBasis'],
  legalBasis: ['type', 'reference'],
  rule: ['id', 'version', 'branches', 'otherwise'],
  branch: ['when', 'outcome', 'explanation'],
  otherwise: ['outcome', 'explanation'],
  lifeEvent: ['key', 'audience', 'titles', 'nodes', 'triggers'],
  trigger: ['eventType', 'subject', 'condition', 'data', 'mandates'],
  triggerSubject: ['type', 'path'],
  mandates: ['path', 'kind', 'access', 'lifeEvents'],
  node: ['key', 'step', 'dependsOn', 'condition', 'optional'],
  reference: ['agency', 'agencyRole', 'key', 'version'],
} as const;

/** Reads and parses every catalog file under `dir`; unreadable files become problems. */
export function readCatalogDir(dir: string): { documents: CatalogDocument[]; problems: Problem[] } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CatalogError('not_found', `Catalog directory ${dir} does not exist.`);
  const documents: CatalogDocument[] = [];
  const problems: Problem[] = [];
  const list = (sub: string) => {
    const full = path.join(dir, sub);
    return fs.existsSync(full) && fs.statSync(full).isDirectory()
      ? fs.readdirSync(full).filter((f) => EXTENSIONS.test(f)).sort().map((f) => (sub ? `${sub}/${f}` : f))
      : [];
  };
  const agencyFiles = list('').filter((f) => /^agencies\.(ya?ml|json)$/i.test(f));
  if (agencyFiles.length > 1) problems.push({ path: agencyFiles.join(', '), message: 'keep the agencies in one file' });
  const wanted: Array<[string, DocumentKind]> = [
    ...agencyFiles.map((f): [string, DocumentKind] => [f, 'agencies']),
    ...list('steps').map((f): [string, DocumentKind] => [f, 'steps']),
    ...list('life-events').map((f): [string, DocumentKind] => [f, 'life-events']),
  ];
  if (wanted.length === 0) {
    problems.push({ path: dir, message: 'no catalog files here: expected agencies.yaml, steps/*.yaml and/or life-events/*.yaml' });
  }
  for (const [file, kind] of wanted) {
    try {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      documents.push({ file, kind, content: /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text) });
    } catch (err) {
      problems.push({ path: file, message: `cannot be read: ${(err as Error).message}` });
    }
  }
  return { documents, problems };
}

/**
 * Turns parsed documents into catalog entries: checks the shape (unknown fields are reported, as
 * the API refuses them too), fills in the agency of steps from the file name, replaces
 * `${VARIABLES}` in endpoints, finds duplicates, and validates agencies and steps (pure checks;
 * life events need the catalog and are validated when applied).
 */
export function parseCatalogDocuments(dir: string, documents: CatalogDocument[], env: Env = process.env): CatalogFiles {
  const files: CatalogFiles = { dir, agencies: [], steps: [], lifeEvents: [], problems: [] };
  const seen = new Map<string, string>();
  const duplicate = (id: string, source: string, problems: Problem[], what: string) => {
    const first = seen.get(id);
    if (first) problems.push({ path: source, message: `${what} is defined twice (also at ${first}); keep one definition` });
    else seen.set(id, source);
  };

  for (const doc of documents) {
    const items = asItems(doc, files.problems);
    items.forEach(({ source, value }) => {
      const problems: Problem[] = [];
      if (!isRecord(value)) {
        problems.push({ path: source, message: `must be an object (got ${describe(value)})` });
        files.problems.push(...problems);
        return;
      }
      const at = (p: Problem[]) => p.map((x) => ({ path: `${source}${x.path}`, message: x.message }));

      if (doc.kind === 'agencies') {
        problems.push(...at(unknownFields(value, FIELDS.agency, '')));
        const local: Problem[] = [];
        if (typeof value.code !== 'string' || !KEY_PATTERN.test(value.code)) {
          local.push({ path: '/code', message: 'code must be 2 to 64 characters of lowercase kebab case, starting with a letter (e.g. federal-finance)' });
        }
        validateTranslations(value.names, '/names', local);
        let endpointHosts: string[] | undefined;
        if (value.endpointHosts !== undefined) {
          const hostProblems: Problem[] = [];
          if (!Array.isArray(value.endpointHosts) || !value.endpointHosts.every((h: unknown) => typeof h === 'string')) {
            hostProblems.push(...validateEndpointHosts(value.endpointHosts, '/endpointHosts'));
          } else {
            endpointHosts = (value.endpointHosts as string[]).map((host, i) => {
              const { value: text, missing, forbidden } = interpolate(host, env);
              for (const name of forbidden) hostProblems.push({ path: `/endpointHosts/${i}`, message: forbiddenVariableMessage(name) });
              for (const name of missing) hostProblems.push({ path: `/endpointHosts/${i}`, message: `\${${name}} has no value: set the environment variable ${name} or write \${${name}:-default}` });
              return text;
            });
            if (!hostProblems.length) hostProblems.push(...validateEndpointHosts(endpointHosts, '/endpointHosts'));
          }
          local.push(...hostProblems);
        }
        local.push(...validateServes(value.serves));
        const teams = agencyTeamsOf(value.teams, local);
        problems.push(...at(local));
        duplicate(`agency:${String(value.code)}`, source, problems, `agency '${String(value.code)}'`);
        const serves = value.serves as AgencyServes | undefined;
        files.agencies.push({ source, value: { code: value.code as string, names: value.names as Translations, ...(endpointHosts ? { endpointHosts } : {}), ...(serves ? { serves } : {}), ...(teams ? { teams } : {}) }, problems });
      } else if (doc.kind === 'steps') {
        const local = [
          ...unknownFields(value, FIELDS.step, ''),
          ...(isRecord(value.serviceNorm) ? unknownFields(value.serviceNorm, FIELDS.serviceNorm, '/serviceNorm') : []),
          ...(isRecord(value.retry) ? unknownFields(value.retry, FIELDS.retry, '/retry') : []),
          ...unknownStepFields(value),
        ];
        // `agencies: [gent, leuven]`: one step declared once, one step version per agency on load.
        const { agencies, ...rest } = value;
        if (agencies !== undefined && (!Array.isArray(agencies) || agencies.length === 0 || !agencies.every((a: unknown) => typeof a === 'string'))) {
          local.push({ path: '/agencies', message: 'agencies must be a non-empty list of agency codes that offer this step, e.g. [gent, leuven]' });
        }
        if (agencies !== undefined && value.agency !== undefined) local.push({ path: '/agencies', message: 'give agency or agencies, not both' });
        const owners: string[] = Array.isArray(agencies) && agencies.length ? [...new Set(agencies.map(String))] : [String(value.agency ?? baseName(doc.file))];
        if (Array.isArray(agencies)) {
          agencies.forEach((a: unknown, i: number) => {
            if (typeof a === 'string' && !KEY_PATTERN.test(a)) local.push({ path: `/agencies/${i}`, message: `'${a}' is not an agency code (lowercase kebab case, e.g. sint-niklaas)` });
          });
        }
        const definition = { ...rest, agency: owners[0] } as unknown as ServiceStepDefinition;
        if (typeof definition.endpoint === 'string') {
          const { value: endpoint, missing, forbidden } = interpolate(definition.endpoint, env);
          definition.endpoint = endpoint;
          for (const name of forbidden) local.push({ path: '/endpoint', message: forbiddenVariableMessage(name) });
          for (const name of missing) local.push({ path: '/endpoint', message: `\${${name}} has no value: set the environment variable ${name} or write \${${name}:-default}` });
        }
        // A compensation's endpoint reads the same variables (the README's example declares one so).
        const undo = definition.compensation as { endpoint?: unknown } | undefined;
        if (isRecord(undo) && typeof undo.endpoint === 'string') {
          const { value: endpoint, missing, forbidden } = interpolate(undo.endpoint, env);
          definition.compensation = { ...undo, endpoint };
          for (const name of forbidden) local.push({ path: '/compensation/endpoint', message: forbiddenVariableMessage(name) });
          for (const name of missing) local.push({ path: '/compensation/endpoint', message: `\${${name}} has no value: set the environment variable ${name} or write \${${name}:-default}` });
        }
        // With a variable missing, the domain's "not a URL" would only repeat the problem above.
        const missingAt = new Set(local.filter((p) => p.path === '/endpoint' || p.path === '/compensation/endpoint').map((p) => p.path));
        local.push(...validateStepDefinition(definition, SOURCE_CATALOG).filter((p) => !missingAt.has(p.path)));
        if (typeof definition.agency !== 'string' || !KEY_PATTERN.test(definition.agency)) {
          local.push({ path: '/agency', message: `agency must be the code of an agency (it defaults to the file name, '${baseName(doc.file)}')` });
        }
        problems.push(...at(local));
        for (const agency of owners) {
          if (!KEY_PATTERN.test(agency)) continue; // reported above
          const own = [...problems];
          duplicate(`step:${agency}/${String(definition.key)}`, source, own, `step ${agency}/${String(definition.key)}`);
          files.steps.push({ source, value: { ...definition, agency }, problems: own });
        }
        if (!owners.some((a) => KEY_PATTERN.test(a))) files.steps.push({ source, value: definition, problems });
      } else {
        const local = [...unknownFields(value, FIELDS.lifeEvent, ''), ...unknownTriggerFields(value.triggers)];
        (Array.isArray(value.nodes) ? value.nodes : []).forEach((node: unknown, i: number) => {
          if (!isRecord(node)) return; // reported by the domain validation
          local.push(...unknownFields(node, FIELDS.node, `/nodes/${i}`));
          if (!isRecord(node.step)) return;
          local.push(...unknownFields(node.step, FIELDS.reference, `/nodes/${i}/step`));
          const version = node.step.version;
          if (node.step.agencyRole !== undefined && version !== 'latest') {
            local.push({ path: `/nodes/${i}/step/version`, message: 'a step named by agencyRole takes the latest version of the agency it is routed to: write version: latest' });
          } else if (version !== 'latest' && !(Number.isInteger(version) && (version as number) >= 1)) {
            local.push({ path: `/nodes/${i}/step`, message: `version must be a version number or "latest" (got ${describe(version)})` });
          }
        });
        problems.push(...at(local));
        duplicate(`life-event:${String(value.key)}`, source, problems, `life event '${String(value.key)}'`);
        files.lifeEvents.push({ source, value: value as unknown as FileLifeEventDefinition, problems });
      }
    });
  }
  return files;
}

/** Reads `dir` and parses it; throws `not_found` when the directory does not exist. */
export function loadCatalogFiles(dir: string, env: Env = process.env): CatalogFiles {
  const { documents, problems } = readCatalogDir(dir);
  const files = parseCatalogDocuments(dir, documents, env);
  files.problems.unshift(...problems);
  return files;
}

/** Every problem found in the files so far. */
export function fileProblems(files: CatalogFiles): Problem[] {
  return [...files.problems, ...[...files.agencies, ...files.steps, ...files.lifeEvents].flatMap((e) => e.problems)];
}

/** A file holds a list of definitions or a single one; each gets a source like `steps/bank.yaml#/0`. */
function asItems(doc: CatalogDocument, problems: Problem[]): Array<{ source: string; value: unknown }> {
  if (doc.content === null || doc.content === undefined) return []; // an empty file defines nothing
  if (Array.isArray(doc.content)) return doc.content.map((value, i) => ({ source: `${doc.file}#/${i}`, value }));
  if (doc.kind === 'agencies') {
    problems.push({ path: doc.file, message: 'must be a list of agencies: - { code: …, names: { nl: … } }' });
    return [];
  }
  return [{ source: `${doc.file}#`, value: doc.content }];
}

function unknownFields(value: Record<string, unknown>, known: readonly string[], at: string): Problem[] {
  return Object.keys(value)
    .filter((k) => !known.includes(k))
    .map((k) => ({ path: `${at}/${k}`, message: `unknown field '${k}'; known fields here: ${known.join(', ')}` }));
}

/** Unknown fields inside data requirements and the decision rule (the domain checks the rest). */
function unknownStepFields(step: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  listOf(step.dataRequirements).forEach((req, i) => {
    if (!isRecord(req)) return;
    problems.push(...unknownFields(req, FIELDS.requirement, `/dataRequirements/${i}`));
    if (isRecord(req.legalBasis)) problems.push(...unknownFields(req.legalBasis, FIELDS.legalBasis, `/dataRequirements/${i}/legalBasis`));
  });
  const rule = step.rule;
  if (isRecord(rule)) {
    problems.push(...unknownFields(rule, FIELDS.rule, '/rule'));
    listOf(rule.branches).forEach((branch, i) => {
      if (isRecord(branch)) problems.push(...unknownFields(branch, FIELDS.branch, `/rule/branches/${i}`));
    });
    if (isRecord(rule.otherwise)) problems.push(...unknownFields(rule.otherwise, FIELDS.otherwise, '/rule/otherwise'));
  }
  return problems;
}

function unknownTriggerFields(triggers: unknown): Problem[] {
  return listOf(triggers).flatMap((t, i) => {
    if (!isRecord(t)) return [];
    return [
      ...unknownFields(t, FIELDS.trigger, `/triggers/${i}`),
      ...(isRecord(t.subject) ? unknownFields(t.subject, FIELDS.triggerSubject, `/triggers/${i}/subject`) : []),
      ...(isRecord(t.mandates) ? unknownFields(t.mandates, FIELDS.mandates, `/triggers/${i}/mandates`) : []),
    ];
  });
}

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const baseName = (file: string) => path.posix.basename(file).replace(EXTENSIONS, '');
const isRecord = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);
const describe = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'string' ? `'${v}'` : typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v;

/** An agency's `teams`: a list of { code, names } (each as the API registers it), codes once each. */
function agencyTeamsOf(value: unknown, problems: Problem[]): Array<{ code: string; names: Translations }> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    problems.push({ path: '/teams', message: 'teams must be a list: - { code: intake, names: { nl: …, fr: …, de: …, en: … } }' });
    return undefined;
  }
  const seen = new Set<unknown>();
  value.forEach((team: unknown, i) => {
    const at = (p: Problem) => ({ path: `/teams/${i}${p.path}`, message: p.message });
    if (!isRecord(team)) return problems.push({ path: `/teams/${i}`, message: `must be an object { code, names } (got ${describe(team)})` });
    problems.push(...unknownFields(team, FIELDS.team, '').map(at), ...teamRegistrationProblems(team).map(at));
    if (seen.has(team.code)) problems.push({ path: `/teams/${i}/code`, message: `team '${String(team.code)}' is listed twice` });
    seen.add(team.code);
  });
  return value as Array<{ code: string; names: Translations }>;
}
