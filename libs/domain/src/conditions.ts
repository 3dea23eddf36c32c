import jsonLogic from 'json-logic-js';

/**
 * Conditions are JSONLogic (https://jsonlogic.com): serialisable, side-effect free.
 * They read `{ data, subject, steps }`: the journey's data, its subject, and every step's
 * `{ status, outcome }`.
 */
export interface ConditionContext {
  data: Record<string, unknown>;
  subject: { type: string; id: string };
  steps: Record<string, { status: string; outcome: unknown }>;
}

const OPERATORS = new Set([
  '==', '===', '!=', '!==', '!', '!!', 'or', 'and', 'if', '?:', '>', '>=', '<', '<=', 'in', 'var', 'missing',
  'missing_some', '+', '-', '*', '/', '%', 'min', 'max', 'cat', 'substr', 'merge', 'some', 'all', 'none', 'map',
  'filter', 'reduce',
]);
/** Operators whose second argument is evaluated per element, where `var` is relative to the element. */
const ITERATORS = new Set(['some', 'all', 'none', 'map', 'filter', 'reduce']);
const ROOTS = ['data', 'subject', 'steps'];

export function validateCondition(condition: unknown, path = ''): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  visit(condition, path, false, problems);
  return problems;
}

function visit(node: unknown, path: string, relative: boolean, problems: Array<{ path: string; message: string }>) {
  if (node === null || ['string', 'number', 'boolean'].includes(typeof node)) return;
  if (Array.isArray(node)) {
    node.forEach((item, i) => visit(item, `${path}/${i}`, relative, problems));
    return;
  }
  if (typeof node !== 'object') {
    problems.push({ path, message: `must be JSON (got ${typeof node})` });
    return;
  }
  const keys = Object.keys(node as object);
  if (keys.length !== 1) {
    problems.push({ path, message: `a JSONLogic operation has exactly one operator key (got ${keys.length ? keys.join(', ') : 'none'})` });
    return;
  }
  const [op] = keys;
  const args = (node as Record<string, unknown>)[op];
  const here = `${path}/${op}`;
  if (!OPERATORS.has(op)) {
    problems.push({ path: here, message: `unknown operator '${op}'; use one of ${[...OPERATORS].join(' ')}` });
    return;
  }
  if (op === 'var') {
    const name = Array.isArray(args) ? args[0] : args;
    if (name !== undefined && typeof name !== 'string' && typeof name !== 'number') {
      problems.push({ path: here, message: 'var takes a dotted path such as "data.activity.servesAlcohol"' });
    } else if (!relative && typeof name === 'string' && name !== '' && !ROOTS.includes(name.split('.')[0])) {
      problems.push({ path: here, message: `var '${name}' must start with data., subject. or steps.` });
    }
    return;
  }
  const list = Array.isArray(args) ? args : [args];
  list.forEach((arg, i) => visit(arg, Array.isArray(args) ? `${here}/${i}` : here, relative || (ITERATORS.has(op) && i > 0), problems));
}

/** The step keys a condition reads through `steps.<key>`. */
export function referencedSteps(condition: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [op, args] of Object.entries(node)) {
      if (op === 'var') {
        const name = Array.isArray(args) ? args[0] : args;
        if (typeof name === 'string' && name.startsWith('steps.')) found.add(name.split('.')[1]);
      } else walk(args);
    }
  };
  walk(condition);
  return [...found];
}

/** Evaluates a condition; bad data never throws, it yields false with the error. */
export function tryEvaluateCondition(condition: unknown, context: ConditionContext): { value: boolean; error?: string } {
  try {
    return { value: jsonLogic.truthy(jsonLogic.apply(condition as jsonLogic.RulesLogic, context)) };
  } catch (err) {
    return { value: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export function evaluateCondition(condition: unknown, context: ConditionContext): boolean {
  return tryEvaluateCondition(condition, context).value;
}
