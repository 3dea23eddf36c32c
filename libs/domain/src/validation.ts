import { teamProblems } from './teams';
import { referencedSteps, validateCondition } from './conditions';
import { DURATION_RULE, isValidDuration, parseDuration } from './durations';
import { ancestorsOf, findCycles } from './graph';
import {
  AUDIENCES,
  LANGUAGES,
  STEP_KINDS,
  type LifeEventDefinition,
  type ServiceStepDefinition,
  type StepReference,
  type SubjectType,
  type VersionStatus,
} from './model';
import { roleReferenceProblems, type RoleStepReference } from './agency-roles';
import { pointerSegment, type Problem } from './problem';
import { requirementSubjectProblems, validateDataRequirements, type SourceCatalog } from './data-requirements';
import { ruleFieldProblems, validateDecisionRule } from './decisions';
import { validateObjectionPolicy } from './objections';
import { validateOutputs } from './outputs';
import { validateCompensation } from './compensation';
import { validateDocumentRequirements } from './documents';
import { validateDocumentEvidence } from './evidence';
import { validateAppointmentSpec } from './appointments';
import { validatePaymentSpec } from './payments';

/**
 * Validation reports every problem in one pass (never only the first), each at a JSON pointer
 * into the submitted definition, so an agency fixes its definition in one round trip. The
 * functions accept untrusted JSON: a wrong type is a problem, never an exception.
 */

/** Keys of agencies, steps and life events: lowercase kebab case, 2 to 64 characters. */
export const KEY_PATTERN = /^(?=.{2,64}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const KEY_RULE = 'must be 2 to 64 characters of lowercase kebab case: letters, digits and single dashes, starting with a letter (e.g. activate-vat)';
/** Node keys are local names inside one life event, so a single letter is enough. */
export const NODE_KEY_PATTERN = /^(?=.{1,64}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const NODE_KEY_RULE = 'must be 1 to 64 characters of lowercase kebab case: letters, digits and single dashes, starting with a letter (e.g. vat)';

const MAX_TITLE = 200;
const MAX_NODES = 200;

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const describe = (value: unknown) => (typeof value === 'string' ? `'${value}'` : value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value);

function checkKey(key: unknown, path: string, problems: Problem[], pattern = KEY_PATTERN, rule = KEY_RULE): void {
  if (typeof key !== 'string' || !pattern.test(key)) problems.push({ path, message: `the key ${describe(key)} is not valid: it ${rule}` });
}

/** Titles per language: nl is required; only nl, fr, de and en; each a non-empty text of at most 200 characters. */
export function validateTranslations(titles: unknown, path: string, problems: Problem[]): void {
  checkTexts(titles, path, problems, 'titles', 'title', MAX_TITLE);
}

/** A data requirement's purpose: shown in the access log, so a sentence rather than a title. */
export const MAX_PURPOSE = 500;
/** A decision's explanation: what the citizen reads about the outcome. */
export const MAX_EXPLANATION = 1000;
const validatePurpose = (value: unknown, path: string, problems: Problem[]) => checkTexts(value, path, problems, 'the purpose', 'text', MAX_PURPOSE);
const validateExplanation = (value: unknown, path: string, problems: Problem[]) => checkTexts(value, path, problems, 'the explanation', 'text', MAX_EXPLANATION);

function checkTexts(texts: unknown, path: string, problems: Problem[], label: string, noun: string, max: number): void {
  if (!isRecord(texts)) {
    problems.push({ path, message: `${label} must be an object with a ${noun} per language, e.g. { "nl": "…", "en": "…" } (got ${describe(texts)})` });
    return;
  }
  if (texts.nl === undefined) problems.push({ path: `${path}/nl`, message: `a Dutch (nl) ${noun} is required` });
  for (const [lang, value] of Object.entries(texts)) {
    if (value === undefined) continue;
    if (!(LANGUAGES as readonly string[]).includes(lang)) {
      problems.push({ path: `${path}/${pointerSegment(lang)}`, message: `unknown language '${lang}'; use ${LANGUAGES.join(', ')}` });
    } else if (typeof value !== 'string' || !value.trim() || value.length > max) {
      problems.push({ path: `${path}/${lang}`, message: `the ${lang} ${noun} must be a non-empty text of at most ${max} characters` });
    }
  }
}

function checkDuration(value: unknown, path: string, problems: Problem[], required: boolean): void {
  if (value === undefined && !required) return;
  if (value === undefined) problems.push({ path, message: `a duration is required: ${DURATION_RULE}` });
  else if (!isValidDuration(value)) problems.push({ path, message: `${describe(value)} is not ${DURATION_RULE}` });
}

/** Problems with the durations of a step (service norm and retry intervals), paths relative to the step. */
function stepDurationProblems(def: unknown): Problem[] {
  if (!isRecord(def)) return [{ path: '', message: 'the step definition is missing' }];
  const problems: Problem[] = [];
  const norm = def.serviceNorm;
  if (!isRecord(norm)) {
    problems.push({ path: '/serviceNorm', message: 'a service norm is required: { "target": "P5D" }, optionally with "warn" and "escalate" durations' });
  } else {
    checkDuration(norm.target, '/serviceNorm/target', problems, true);
    checkDuration(norm.warn, '/serviceNorm/warn', problems, false);
    checkDuration(norm.escalate, '/serviceNorm/escalate', problems, false);
    checkDuration(norm.maxExtension, '/serviceNorm/maxExtension', problems, false);
  }
  if (isRecord(def.retry)) {
    checkDuration(def.retry.initialInterval, '/retry/initialInterval', problems, true);
    checkDuration(def.retry.maximumInterval, '/retry/maximumInterval', problems, true);
  }
  return problems;
}

function checkEndpoint(endpoint: unknown, problems: Problem[], path = '/endpoint', need?: string): void {
  let url: URL | undefined;
  try {
    url = typeof endpoint === 'string' ? new URL(endpoint) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    problems.push({ path, message: need ? `${need} (got ${describe(endpoint)})` : `${path === '/endpoint' ? 'an automatic step needs' : 'give'} the http(s) URL of the agency endpoint, e.g. https://agency.example/api/steps/activate-vat (got ${describe(endpoint)})` });
  } else if (url.username || url.password) {
    problems.push({ path, message: 'do not put credentials in the endpoint URL; the engine authenticates to agencies by itself' });
  }
}

/**
 * Validates a step definition. With the source catalog, data requirements that name an unknown
 * source or field are refused too.
 */
export function validateStepDefinition(def: ServiceStepDefinition, sources?: SourceCatalog): Problem[] {
  if (!isRecord(def)) return [{ path: '', message: 'a service step definition must be an object' }];
  const problems: Problem[] = [];
  checkKey(def.key, '/key', problems);
  const kindKnown = (STEP_KINDS as readonly string[]).includes(def.kind);
  if (!kindKnown) problems.push({ path: '/kind', message: `kind must be one of ${STEP_KINDS.join(', ')} (got ${describe(def.kind)})` });
  validateTranslations(def.titles, '/titles', problems);

  if (def.kind === 'automatic') checkEndpoint(def.endpoint, problems);
  // An appointment step's endpoint is the agency's calendar service (its calendar id is in `appointment`).
  else if (def.kind === 'appointment') checkEndpoint(def.endpoint, problems, '/endpoint', 'an appointment step needs the http(s) URL of the agency\'s calendar service, e.g. https://agency.example/api/calendars');
  // A task step is worked in the engine's task list; an endpoint there would be silently ignored.
  else if (kindKnown && def.endpoint !== undefined) {
    problems.push({ path: '/endpoint', message: def.kind === 'decision' ? 'a decision step is decided by its rule, not by a call: remove the endpoint' : `a ${def.kind} step is a task, not a call: remove the endpoint` });
  }
  if (kindKnown) problems.push(...validateOutputs(def.outputs, def.kind));
  problems.push(...teamProblems(def));
  problems.push(
    ...validateCompensation(def.compensation, (url, path) => {
      const found: Problem[] = [];
      checkEndpoint(url, found, path);
      return found;
    }),
  );
  const requirementProblems = validateDataRequirements(def.dataRequirements, sources, validatePurpose);
  if (def.kind === 'decision') {
    const ruleProblems = validateDecisionRule(def.rule, validateExplanation);
    problems.push(...ruleProblems);
    // A well-formed rule is checked against the fields declared, even when some declarations have problems of their own.
    if (!ruleProblems.length) problems.push(...ruleFieldProblems(def.rule!, Array.isArray(def.dataRequirements) ? def.dataRequirements : undefined));
  } else if (kindKnown && def.rule !== undefined) problems.push({ path: '/rule', message: `only decision steps have a rule; a ${def.kind} step must not have one` });
  problems.push(...requirementProblems);
  if (kindKnown) problems.push(...validateObjectionPolicy(def.objection, def.kind));
  if (kindKnown) problems.push(...validateDocumentRequirements(def.documents, def.kind, validateTranslations));
  if (kindKnown) problems.push(...validateDocumentEvidence(def.documents, def.kind, sources, validatePurpose));
  if (kindKnown) problems.push(...validateAppointmentSpec(def.appointment, def.kind, validateTranslations));
  if (kindKnown) problems.push(...validatePaymentSpec(def.payment, def.kind, validatePurpose));

  const durations = stepDurationProblems(def);
  problems.push(...durations.filter((p) => p.path.startsWith('/serviceNorm')));
  const norm = isRecord(def.serviceNorm) ? def.serviceNorm : undefined;
  const warn = parseDuration(norm?.warn);
  const escalate = parseDuration(norm?.escalate);
  if (warn !== undefined && escalate !== undefined && warn >= escalate) {
    problems.push({ path: '/serviceNorm/warn', message: `the warning (${norm!.warn}) must come before the escalation (${norm!.escalate})` });
  }

  if (def.retry !== undefined) {
    const retry: unknown = def.retry;
    if (def.kind !== 'automatic') problems.push({ path: '/retry', message: 'only automatic steps are retried: remove the retry policy' });
    if (!isRecord(retry)) {
      problems.push({ path: '/retry', message: 'retry must be { maximumAttempts, initialInterval, backoffCoefficient, maximumInterval }' });
    } else {
      const attempts = retry.maximumAttempts;
      if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1 || attempts > 100) {
        problems.push({ path: '/retry/maximumAttempts', message: `maximumAttempts must be a whole number from 1 to 100 (got ${describe(attempts)})` });
      }
      problems.push(...durations.filter((p) => p.path.startsWith('/retry')));
      const coefficient = retry.backoffCoefficient;
      if (typeof coefficient !== 'number' || !Number.isFinite(coefficient) || coefficient < 1) {
        problems.push({ path: '/retry/backoffCoefficient', message: `backoffCoefficient must be a number of at least 1 (got ${describe(coefficient)})` });
      }
      const initial = parseDuration(retry.initialInterval);
      const max = parseDuration(retry.maximumInterval);
      if (initial !== undefined && max !== undefined && initial > max) {
        problems.push({ path: '/retry/maximumInterval', message: `maximumInterval (${retry.maximumInterval}) must not be shorter than initialInterval (${retry.initialInterval})` });
      }
    }
  }
  return problems;
}

/** Looks up a referenced step version in the catalog; undefined when it does not exist. */
export type StepResolver = (ref: StepReference) => { status: VersionStatus; definition: ServiceStepDefinition } | undefined;

/**
 * Validates a life event against the catalog: its own fields, each node (key, step reference,
 * dependencies, condition) and the graph (duplicates, cycles, nodes that can never run, conditions
 * that read steps which may not have run yet).
 */
export function validateLifeEvent(def: LifeEventDefinition, resolveStep: StepResolver, sources?: SourceCatalog): Problem[] {
  if (!isRecord(def)) return [{ path: '', message: 'a life event definition must be an object' }];
  const problems: Problem[] = [];
  checkKey(def.key, '/key', problems);
  if (!(AUDIENCES as readonly string[]).includes(def.audience)) problems.push({ path: '/audience', message: `audience must be one of ${AUDIENCES.join(', ')} (got ${describe(def.audience)})` });
  validateTranslations(def.titles, '/titles', problems);
  problems.push(...validateTriggers(def.triggers, def.audience));

  if (!Array.isArray(def.nodes)) {
    problems.push({ path: '/nodes', message: 'nodes must be a list of steps: [{ "key": "…", "step": { "agency", "key", "version" }, "dependsOn": […] }]' });
    return problems;
  }
  const nodes = def.nodes;
  if (nodes.length === 0) problems.push({ path: '/nodes', message: 'a life event needs at least one step' });
  if (nodes.length > MAX_NODES) problems.push({ path: '/nodes', message: `a life event has at most ${MAX_NODES} steps (got ${nodes.length}); split it into several life events` });

  // Keys first, so dependencies can be checked against the full set.
  const indexOf = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (!isRecord(node)) {
      problems.push({ path: `/nodes/${i}`, message: 'each node must be an object with a key and a step reference' });
      return;
    }
    checkKey(node.key, `/nodes/${i}/key`, problems, NODE_KEY_PATTERN, NODE_KEY_RULE);
    if (typeof node.key !== 'string') return;
    if (indexOf.has(node.key)) problems.push({ path: `/nodes/${i}/key`, message: `duplicate step key '${node.key}' (also used at /nodes/${indexOf.get(node.key)}); node keys must be unique` });
    else indexOf.set(node.key, i);
  });

  nodes.forEach((node, i) => {
    if (!isRecord(node)) return;
    const found = isRecord(node.step) && typeof node.step.agencyRole === 'string'
      ? checkRoleReference(node.step as unknown as RoleStepReference, `/nodes/${i}/step`, resolveStep, problems, def.audience === 'business' ? 'enterprise' : 'person')
      : checkReference(node.step, `/nodes/${i}/step`, resolveStep, problems);
    if (found && sources && (AUDIENCES as readonly string[]).includes(def.audience)) {
      for (const message of requirementSubjectProblems(found.dataRequirements, def.audience === 'business' ? 'enterprise' : 'person', sources)) {
        problems.push({ path: `/nodes/${i}/step`, message: `this ${def.audience} life event cannot use the step: its data requirement ${message}` });
      }
    }
    if (node.dependsOn !== undefined) {
      if (!Array.isArray(node.dependsOn)) {
        problems.push({ path: `/nodes/${i}/dependsOn`, message: 'dependsOn must be a list of node keys' });
      } else {
        const seen = new Set<unknown>();
        node.dependsOn.forEach((dep: unknown, j) => {
          const path = `/nodes/${i}/dependsOn/${j}`;
          if (typeof dep !== 'string') problems.push({ path, message: `a dependency is the key of another node (got ${describe(dep)})` });
          else if (dep === node.key) problems.push({ path, message: `step '${node.key}' cannot depend on itself` });
          else if (!indexOf.has(dep)) problems.push({ path, message: `depends on unknown step '${dep}'; use the key of a node of this life event` });
          else if (seen.has(dep)) problems.push({ path, message: `'${dep}' is listed twice in dependsOn` });
          seen.add(dep);
        });
      }
    }
    if (node.optional !== undefined && typeof node.optional !== 'boolean') problems.push({ path: `/nodes/${i}/optional`, message: 'optional must be true or false' });
    if (node.condition !== undefined) problems.push(...validateCondition(node.condition, `/nodes/${i}/condition`));
  });

  // The graph, over well-formed nodes (first one per key).
  const graph = nodes.filter((n, i) => isRecord(n) && typeof n.key === 'string' && indexOf.get(n.key) === i);
  const deps = new Map(graph.map((n) => [n.key, Array.isArray(n.dependsOn) ? n.dependsOn.filter((d): d is string => typeof d === 'string') : []]));
  /** Why a node can never start; a cycle member or a self-dependent node is its own cause. */
  const blocked = new Map<string, string>();
  for (const cycle of findCycles(graph)) {
    const text = cycle.path.join(' → ');
    problems.push({ path: `/nodes/${indexOf.get(cycle.path[0])}/dependsOn`, message: `dependency cycle: ${text} (each step waits on the next, so none can start); remove one of these dependencies` });
    for (const key of cycle.members) blocked.set(key, `is in the dependency cycle ${text}`);
  }
  for (const [key, list] of deps) if (list.includes(key) && !blocked.has(key)) blocked.set(key, 'depends on itself');

  // A node that waits, directly or transitively, on a node that can never run is unreachable.
  const cause = new Map<string, string | null>();
  const whyUnreachable = (key: string): string | null => {
    if (cause.has(key)) return cause.get(key)!;
    cause.set(key, null); // cycles are handled above; this only guards the recursion
    let why: string | null = null;
    for (const dep of deps.get(key) ?? []) {
      if (dep === key) continue;
      if (!deps.has(dep)) why = `'${dep}', which does not exist`;
      else if (blocked.has(dep)) why = `'${dep}', which ${blocked.get(dep)}`;
      else {
        const upstream = whyUnreachable(dep);
        if (upstream) why = `'${dep}', which waits on ${upstream}`;
      }
      if (why) break;
    }
    cause.set(key, why);
    return why;
  };
  for (const node of graph) {
    if (blocked.has(node.key)) continue;
    const why = whyUnreachable(node.key);
    if (why) problems.push({ path: `/nodes/${indexOf.get(node.key)}`, message: `step '${node.key}' is unreachable: it waits on ${why}` });
  }

  // A condition may read only steps that are finished before it is evaluated: its ancestors.
  for (const node of graph) {
    if (node.condition === undefined) continue;
    const ancestors = ancestorsOf(graph, node.key);
    for (const ref of referencedSteps(node.condition)) {
      if (ancestors.has(ref)) continue;
      const i = indexOf.get(node.key);
      problems.push({
        path: `/nodes/${i}/condition`,
        message: !indexOf.has(ref)
          ? `the condition reads steps.${ref}, but there is no step '${ref}' in this life event`
          : ref === node.key
            ? `the condition reads steps.${ref}, the step it decides on; a condition can only read steps that come before it`
            : `the condition reads steps.${ref}, but '${node.key}' does not depend on '${ref}' (directly or indirectly), so '${ref}' may not have run yet; add it to dependsOn or remove the reference`,
      });
    }
  }
  return problems;
}

/** Checks a node's step reference; returns the step definition when it is usable. */
/**
 * A step named by role: the role must exist, and some agency serving it must offer a published
 * version (the resolver answers with one, whose kind and data the node is checked against).
 */
function checkRoleReference(ref: RoleStepReference, path: string, resolveStep: StepResolver, problems: Problem[], audience: SubjectType): ServiceStepDefinition | undefined {
  const own = roleReferenceProblems(ref, path, audience);
  if (typeof ref.key !== 'string') own.push({ path: `${path}/key`, message: 'key must be the key of a step the role\'s agencies offer' });
  problems.push(...own);
  if (own.length) return undefined;
  const found = resolveStep(ref);
  if (!found || found.status !== 'published') {
    problems.push({ path, message: `no agency serving role '${ref.agencyRole}' offers a published step '${ref.key}': publish it for at least one of them first` });
    return undefined;
  }
  for (const p of stepDurationProblems(found.definition)) {
    problems.push({ path, message: `step ${ref.key} of role ${ref.agencyRole} has an invalid duration at ${p.path || '/'}: ${p.message}` });
  }
  return found.definition;
}

function checkReference(ref: unknown, path: string, resolveStep: StepResolver, problems: Problem[]): ServiceStepDefinition | undefined {
  if (!isRecord(ref) || typeof ref.agency !== 'string' || typeof ref.key !== 'string' || typeof ref.version !== 'number' || !Number.isInteger(ref.version) || ref.version < 1) {
    problems.push({ path, message: 'step must reference a step version: { "agency": "…", "key": "…", "version": 1 }' });
    return undefined;
  }
  const name = `${ref.agency}/${ref.key} version ${ref.version}`;
  const found = resolveStep({ agency: ref.agency, key: ref.key, version: ref.version });
  if (!found) {
    problems.push({ path, message: `unknown step ${name}: register and publish it first, or fix the reference` });
    return undefined;
  }
  if (found.status !== 'published') {
    const fix = found.status === 'draft' ? 'publish it or reference a published version' : 'reference a published version';
    problems.push({ path, message: `step ${name} is ${found.status}: only published steps can be used; ${fix}` });
    return undefined;
  }
  // The journey computes deadlines and retries from these; a bad one would fail it at run time.
  for (const p of stepDurationProblems(found.definition)) {
    problems.push({ path, message: `step ${name} has an invalid duration at ${p.path || '/'}: ${p.message}; publish a corrected version and reference it` });
  }
  return found.definition;
}

/** CloudEvents types: reverse-DNS style, e.g. be.national-register.birth.registered. */
export const EVENT_TYPE_PATTERN = /^(?=.{3,200}$)[a-z0-9]+(?:[.-][a-z0-9]+)+$/;
const DATA_PATH = /^(?=.{1,200}$)[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
const MAX_TRIGGERS = 20;
/** Mandate kinds are stored in a 32-character column. */
const MANDATE_KIND = /^(?=.{2,32}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * Problems with a life event's triggers (source events that start it). With the audience, the
 * subject type must match it: a business life event runs for an enterprise, a citizen one for a person.
 */
export function validateTriggers(triggers: unknown, audience?: unknown): Problem[] {
  if (triggers === undefined) return [];
  if (!Array.isArray(triggers)) return [{ path: '/triggers', message: 'triggers must be a list: [{ "eventType": "be.national-register.birth.registered", "subject": { "type": "person", "path": "child.nationalNumber" } }]' }];
  const problems: Problem[] = [];
  if (triggers.length > MAX_TRIGGERS) problems.push({ path: '/triggers', message: `a life event has at most ${MAX_TRIGGERS} triggers` });
  const seen = new Map<string, number>();
  triggers.forEach((t: unknown, i) => {
    const path = `/triggers/${i}`;
    if (!isRecord(t)) {
      problems.push({ path, message: 'a trigger is { "eventType", "subject": { "type", "path" }, "condition"?, "data"? }' });
      return;
    }
    if (typeof t.eventType !== 'string' || !EVENT_TYPE_PATTERN.test(t.eventType)) {
      problems.push({ path: `${path}/eventType`, message: `eventType must be a CloudEvents type in reverse-DNS style, e.g. be.national-register.birth.registered (got ${describe(t.eventType)})` });
    } else if (t.condition === undefined && seen.has(t.eventType)) {
      problems.push({ path: `${path}/eventType`, message: `'${t.eventType}' already starts this life event (trigger ${seen.get(t.eventType)}) without a condition` });
    } else if (t.condition === undefined) seen.set(t.eventType, i);
    const subject = t.subject;
    if (!isRecord(subject) || (subject.type !== 'person' && subject.type !== 'enterprise') || typeof subject.path !== 'string' || !DATA_PATH.test(subject.path)) {
      problems.push({ path: `${path}/subject`, message: 'subject says where the journey\'s subject is in the event data: { "type": "person" | "enterprise", "path": "child.nationalNumber" }' });
    } else if ((audience === 'business' || audience === 'citizen') && subject.type !== (audience === 'business' ? 'enterprise' : 'person')) {
      problems.push({ path: `${path}/subject/type`, message: `a ${audience} life event runs for ${audience === 'business' ? 'an enterprise' : 'a person'}, so its trigger's subject must be ${audience === 'business' ? "'enterprise'" : "'person'"} (got '${subject.type}')` });
    }
    if (t.condition !== undefined) problems.push(...validateCondition(t.condition, `${path}/condition`, ['event']));
    if (t.mandates !== undefined) {
      const m = t.mandates;
      if (!isRecord(m) || typeof m.path !== 'string' || !DATA_PATH.test(m.path) || typeof m.kind !== 'string' || !MANDATE_KIND.test(m.kind)) {
        problems.push({ path: `${path}/mandates`, message: 'mandates names who may act for the subject: { "path": "parents" (a list of national numbers in the event data), "kind": "parent" (2 to 32 characters of lowercase kebab case) }' });
      } else {
        if (m.access !== undefined && m.access !== 'read' && m.access !== 'act') {
          problems.push({ path: `${path}/mandates/access`, message: `access is 'act' (see and act, the default) or 'read' (see only) (got ${describe(m.access)})` });
        }
        if (m.lifeEvents !== undefined && (!Array.isArray(m.lifeEvents) || m.lifeEvents.length < 1 || m.lifeEvents.length > 50 || !m.lifeEvents.every((k) => typeof k === 'string' && KEY_PATTERN.test(k)))) {
          problems.push({ path: `${path}/mandates/lifeEvents`, message: 'lifeEvents lists the keys of the life events the mandate covers (1 to 50 life-event keys); leave it out for every life event' });
        }
      }
    }
    if (t.data !== undefined) {
      if (!isRecord(t.data)) problems.push({ path: `${path}/data`, message: 'data maps journey data names to paths in the event data: { "birthDate": "child.birthDate" }' });
      else {
        for (const [name, from] of Object.entries(t.data)) {
          const at = `${path}/data/${pointerSegment(name)}`;
          if (!DATA_PATH.test(name) || name.includes('.')) problems.push({ path: at, message: `'${name}' is not a valid data name (letters, digits, _ and -)` });
          if (typeof from !== 'string' || !DATA_PATH.test(from)) problems.push({ path: at, message: `the value must be a dotted path into the event data (got ${describe(from)})` });
        }
      }
    }
  });
  return problems;
}
