import { referencedSteps, validateCondition } from './conditions';
import { isValidDuration, parseDuration } from './durations';
import {
  AUDIENCES,
  LANGUAGES,
  STEP_KINDS,
  type LifeEventDefinition,
  type ServiceStepDefinition,
  type StepReference,
  type VersionStatus,
} from './model';

/** One thing to fix, located by a JSON pointer into the submitted definition. */
export interface Problem {
  path: string;
  message: string;
}

export const KEY_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const KEY_RULE = 'must be 1 to 64 lowercase letters, digits or dashes, starting and ending with a letter or digit';

function validateKey(key: unknown, path: string, problems: Problem[]) {
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) problems.push({ path, message: `key ${KEY_RULE}` });
}

export function validateTranslations(titles: unknown, path: string, problems: Problem[]) {
  if (!titles || typeof titles !== 'object' || Array.isArray(titles)) {
    problems.push({ path, message: 'titles must be an object with a title per language (nl required)' });
    return;
  }
  const record = titles as Record<string, unknown>;
  if (typeof record.nl !== 'string' || !record.nl.trim()) problems.push({ path: `${path}/nl`, message: 'a Dutch (nl) title is required' });
  for (const [lang, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (!(LANGUAGES as readonly string[]).includes(lang)) problems.push({ path: `${path}/${lang}`, message: `unknown language '${lang}'; use ${LANGUAGES.join(', ')}` });
    else if (typeof value !== 'string' || !value.trim() || value.length > 200) problems.push({ path: `${path}/${lang}`, message: 'a title is a non-empty text of at most 200 characters' });
  }
}

function validateDuration(value: unknown, path: string, problems: Problem[], required: boolean) {
  if (value === undefined && !required) return;
  if (!isValidDuration(value)) problems.push({ path, message: `'${String(value)}' is not a positive ISO-8601 duration (e.g. P5D, PT4H, P1M)` });
}

export function validateStepDefinition(def: ServiceStepDefinition): Problem[] {
  const problems: Problem[] = [];
  validateKey(def.key, '/key', problems);
  if (!(STEP_KINDS as readonly string[]).includes(def.kind)) problems.push({ path: '/kind', message: `kind must be one of ${STEP_KINDS.join(', ')}` });
  validateTranslations(def.titles, '/titles', problems);
  if (def.kind === 'automatic') {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(def.endpoint ?? '').protocol);
    } catch {
      ok = false;
    }
    if (!ok) problems.push({ path: '/endpoint', message: 'an automatic step needs the http(s) URL of the agency endpoint' });
  } else if (def.endpoint !== undefined) {
    problems.push({ path: '/endpoint', message: `a ${def.kind} step is a task, not a call: remove the endpoint` });
  }
  const norm = def.serviceNorm;
  if (!norm || typeof norm !== 'object') {
    problems.push({ path: '/serviceNorm', message: 'a service norm with at least a target duration is required' });
  } else {
    validateDuration(norm.target, '/serviceNorm/target', problems, true);
    validateDuration(norm.warn, '/serviceNorm/warn', problems, false);
    validateDuration(norm.escalate, '/serviceNorm/escalate', problems, false);
    const warn = norm.warn ? parseDuration(norm.warn) : undefined;
    const escalate = norm.escalate ? parseDuration(norm.escalate) : undefined;
    if (warn !== undefined && escalate !== undefined && warn >= escalate) {
      problems.push({ path: '/serviceNorm/warn', message: 'the warning must come before the escalation' });
    }
  }
  if (def.retry !== undefined) {
    const r = def.retry;
    if (def.kind !== 'automatic') problems.push({ path: '/retry', message: 'only automatic steps have a retry policy' });
    if (!Number.isInteger(r.maximumAttempts) || r.maximumAttempts < 1 || r.maximumAttempts > 100) problems.push({ path: '/retry/maximumAttempts', message: 'maximumAttempts must be an integer from 1 to 100' });
    validateDuration(r.initialInterval, '/retry/initialInterval', problems, true);
    validateDuration(r.maximumInterval, '/retry/maximumInterval', problems, true);
    if (typeof r.backoffCoefficient !== 'number' || r.backoffCoefficient < 1 || r.backoffCoefficient > 10) problems.push({ path: '/retry/backoffCoefficient', message: 'backoffCoefficient must be a number from 1 to 10' });
    const initial = parseDuration(r.initialInterval);
    const max = parseDuration(r.maximumInterval);
    if (initial !== undefined && max !== undefined && initial > max) problems.push({ path: '/retry/maximumInterval', message: 'maximumInterval must not be shorter than initialInterval' });
  }
  return problems;
}

export type StepResolver = (ref: StepReference) => { status: VersionStatus; definition: ServiceStepDefinition } | undefined;

/**
 * Validates a life event: every problem in one pass (keys, references, the graph, conditions),
 * so an agency fixes its definition in one round trip.
 */
export function validateLifeEvent(def: LifeEventDefinition, resolveStep: StepResolver): Problem[] {
  const problems: Problem[] = [];
  validateKey(def.key, '/key', problems);
  if (!(AUDIENCES as readonly string[]).includes(def.audience)) problems.push({ path: '/audience', message: `audience must be one of ${AUDIENCES.join(', ')}` });
  validateTranslations(def.titles, '/titles', problems);
  const nodes = Array.isArray(def.nodes) ? def.nodes : [];
  if (nodes.length === 0) problems.push({ path: '/nodes', message: 'a life event needs at least one step' });
  if (nodes.length > 200) problems.push({ path: '/nodes', message: 'a life event has at most 200 steps' });

  const firstIndex = new Map<string, number>();
  nodes.forEach((node, i) => {
    validateKey(node.key, `/nodes/${i}/key`, problems);
    if (firstIndex.has(node.key)) problems.push({ path: `/nodes/${i}/key`, message: `duplicate step key '${node.key}' (also at /nodes/${firstIndex.get(node.key)})` });
    else firstIndex.set(node.key, i);
  });

  nodes.forEach((node, i) => {
    const ref = node.step;
    if (!ref || typeof ref.agency !== 'string' || typeof ref.key !== 'string' || !Number.isInteger(ref.version)) {
      problems.push({ path: `/nodes/${i}/step`, message: 'step must reference { agency, key, version }' });
    } else {
      const found = resolveStep(ref);
      if (!found) problems.push({ path: `/nodes/${i}/step`, message: `unknown step ${ref.agency}/${ref.key} version ${ref.version}` });
      else if (found.status !== 'published') problems.push({ path: `/nodes/${i}/step`, message: `step ${ref.agency}/${ref.key} version ${ref.version} is ${found.status}: only published steps can be used` });
    }
    (node.dependsOn ?? []).forEach((dep, j) => {
      if (dep === node.key) problems.push({ path: `/nodes/${i}/dependsOn/${j}`, message: `step '${node.key}' cannot depend on itself` });
      else if (!firstIndex.has(dep)) problems.push({ path: `/nodes/${i}/dependsOn/${j}`, message: `depends on unknown step '${dep}'` });
    });
    if (node.condition !== undefined) {
      for (const p of validateCondition(node.condition, `/nodes/${i}/condition`)) problems.push(p);
    }
  });

  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const cycles = findCycles(nodes);
  for (const cycle of cycles) {
    problems.push({ path: `/nodes/${firstIndex.get(cycle[0])}/dependsOn`, message: `dependency cycle: ${[...cycle, cycle[0]].join(' → ')}` });
  }
  // A step that depends (transitively) on a cycle or an unknown step can never run.
  const blocked = new Set(cycles.flat());
  const runnable = new Map<string, boolean>();
  const canRun = (key: string): boolean => {
    if (runnable.has(key)) return runnable.get(key)!;
    const node = byKey.get(key);
    runnable.set(key, false); // guards against cycles while this key is being decided
    const result = !!node && !blocked.has(key) && (node.dependsOn ?? []).every((d) => d !== key && canRun(d));
    runnable.set(key, result);
    return result;
  };
  nodes.forEach((node, i) => {
    if (!blocked.has(node.key) && !canRun(node.key)) problems.push({ path: `/nodes/${i}`, message: `step '${node.key}' is unreachable: it waits on a step that can never run` });
  });
  // A condition may read only steps that are done before it is evaluated: its ancestors.
  nodes.forEach((node, i) => {
    if (node.condition === undefined) return;
    const ancestors = ancestorsOf(node.key, byKey);
    for (const key of referencedSteps(node.condition)) {
      if (!ancestors.has(key)) problems.push({ path: `/nodes/${i}/condition`, message: `the condition reads steps.${key}, which is not a step this one depends on` });
    }
  });
  return problems;
}

function ancestorsOf(key: string, byKey: Map<string, { dependsOn?: string[] }>): Set<string> {
  const result = new Set<string>();
  const stack = [...(byKey.get(key)?.dependsOn ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (result.has(next)) continue;
    result.add(next);
    stack.push(...(byKey.get(next)?.dependsOn ?? []));
  }
  return result;
}

/** Elementary cycles found by depth-first search (each reported once). */
export function findCycles(nodes: Array<{ key: string; dependsOn?: string[] }>): string[][] {
  const deps = new Map(nodes.map((n) => [n.key, (n.dependsOn ?? []).filter((d) => d !== n.key)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (key: string) => {
    state.set(key, 'visiting');
    path.push(key);
    for (const dep of deps.get(key) ?? []) {
      if (!deps.has(dep)) continue;
      if (state.get(dep) === 'visiting') {
        const cycle = path.slice(path.indexOf(dep));
        const id = [...cycle].sort().join('|');
        if (!seen.has(id)) {
          seen.add(id);
          cycles.push(cycle);
        }
      } else if (!state.has(dep)) visit(dep);
    }
    path.pop();
    state.set(key, 'done');
  };
  for (const key of deps.keys()) if (!state.has(key)) visit(key);
  return cycles;
}

/** Kahn's algorithm; nodes in cycles are left out. */
export function topologicalOrder(nodes: Array<{ key: string; dependsOn?: string[] }>): string[] {
  const indegree = new Map(nodes.map((n) => [n.key, 0]));
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    for (const d of n.dependsOn ?? []) {
      if (!indegree.has(d)) continue;
      indegree.set(n.key, (indegree.get(n.key) ?? 0) + 1);
      dependents.set(d, [...(dependents.get(d) ?? []), n.key]);
    }
  }
  const queue = nodes.filter((n) => indegree.get(n.key) === 0).map((n) => n.key);
  const order: string[] = [];
  while (queue.length) {
    const key = queue.shift()!;
    order.push(key);
    for (const next of dependents.get(key) ?? []) {
      indegree.set(next, indegree.get(next)! - 1);
      if (indegree.get(next) === 0) queue.push(next);
    }
  }
  return order;
}
