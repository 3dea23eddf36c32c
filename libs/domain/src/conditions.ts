import jsonLogic from 'json-logic-js';
import type { StepState } from './model';
import { pointerSegment, type Problem } from './problem';

/**
 * Conditions are JSONLogic (https://jsonlogic.com): serialisable and side-effect free. They read
 * `{ data, subject, steps }`: the journey's data, its subject, and per node key the step's
 * `{ status, outcome }`.
 */
export interface ConditionContext {
  data: Record<string, unknown>;
  subject: { type: string; id: string };
  steps: Record<string, { status: string; outcome?: unknown }>;
}

/** The `steps` part of the context, built from the journey's step states. */
export function stepsContext(states: Record<string, StepState>): ConditionContext['steps'] {
  return Object.fromEntries(Object.values(states).map((s) => [s.key, { status: s.status, outcome: s.outcome ?? null }]));
}

const ANY = Infinity;
/**
 * The allowed operators with their [min, max] number of arguments. Anything else (including
 * json-logic-js's `log` and dotted method names) is refused, at validation and at evaluation.
 * `?:` is JSONLogic's alias of `if`.
 */
const ARITY: Record<string, [number, number]> = {
  '==': [2, 2], '===': [2, 2], '!=': [2, 2], '!==': [2, 2],
  '!': [1, 1], '!!': [1, 1],
  or: [1, ANY], and: [1, ANY], if: [2, ANY], '?:': [2, ANY],
  '>': [2, 2], '>=': [2, 2], '<': [2, 3], '<=': [2, 3],
  in: [2, 2],
  var: [1, 2], missing: [1, ANY], missing_some: [2, 2],
  '+': [1, ANY], '-': [1, 2], '*': [1, ANY], '/': [2, 2], '%': [2, 2],
  min: [1, ANY], max: [1, ANY],
  cat: [1, ANY], substr: [2, 3], merge: [1, ANY],
  some: [2, 2], all: [2, 2], none: [2, 2], map: [2, 2], filter: [2, 2], reduce: [2, 3],
};
export const CONDITION_OPERATORS: readonly string[] = Object.keys(ARITY);

/** Operators whose second argument runs per array element: there `var` reads the element. */
const ITERATORS = new Set(['some', 'all', 'none', 'map', 'filter', 'reduce']);
const ROOTS = ['data', 'subject', 'steps'];
const SUBJECT_FIELDS = ['type', 'id'];
const STEP_FIELDS = ['status', 'outcome'];
/** Reading these would reach into JavaScript internals rather than the journey's data. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);
/** Deeper nesting is not a real rule; the limit keeps evaluation from exhausting the stack. */
const MAX_DEPTH = 64;

const argsOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const isOperation = (node: unknown): node is Record<string, unknown> => !!node && typeof node === 'object' && !Array.isArray(node);

/**
 * Everything wrong with a condition, as problems whose paths start at `path` (e.g.
 * `/nodes/3/condition`). An empty list means the condition is safe to evaluate.
 */
export function validateCondition(condition: unknown, path = '', roots: readonly string[] = ROOTS): Problem[] {
  const problems: Problem[] = [];
  visit(condition, path, false, 0, problems, roots);
  return problems;
}

function visit(node: unknown, path: string, scoped: boolean, depth: number, problems: Problem[], roots: readonly string[]): void {
  if (depth > MAX_DEPTH) {
    problems.push({ path, message: `the condition is nested more than ${MAX_DEPTH} levels deep; simplify it` });
    return;
  }
  if (node === null || typeof node === 'string' || typeof node === 'boolean') return;
  if (typeof node === 'number') {
    if (!Number.isFinite(node)) problems.push({ path, message: 'numbers must be finite' });
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => visit(item, `${path}/${i}`, scoped, depth + 1, problems, roots));
    return;
  }
  if (!isOperation(node)) {
    problems.push({ path, message: `a condition must be JSON (got ${typeof node})` });
    return;
  }
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    problems.push({
      path,
      message: `a JSONLogic operation is an object with exactly one operator key (got ${keys.length ? keys.map((k) => `'${k}'`).join(', ') : 'an empty object'})`,
    });
    return;
  }
  const [op] = keys;
  const here = `${path}/${pointerSegment(op)}`;
  const arity = Object.prototype.hasOwnProperty.call(ARITY, op) ? ARITY[op] : undefined;
  if (!arity) {
    problems.push({ path: here, message: `unknown operator '${op}'; use one of: ${CONDITION_OPERATORS.join(' ')}` });
    return;
  }
  const raw = node[op];
  const args = argsOf(raw);
  // Unary shorthand ({"!": x}) has no array, so the argument's path is the operator's own.
  const argPath = (i: number) => (Array.isArray(raw) ? `${here}/${i}` : here);
  const [min, max] = arity;
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : max === ANY ? `at least ${min}` : `${min} to ${max}`;
    // "1 argument" and "at least 1 argument"; every other count in the plural.
    problems.push({ path: here, message: `'${op}' takes ${expected} argument${min === 1 && (max === 1 || max === ANY) ? '' : 's'}, got ${args.length}` });
    return;
  }
  if (op === 'var') {
    checkVarPath(args[0], argPath(0), scoped, problems, 'var', roots);
    if (args.length > 1) visit(args[1], argPath(1), scoped, depth + 1, problems, roots); // the default value
    return;
  }
  if (op === 'missing' || op === 'missing_some') {
    const list = op === 'missing' ? (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) : args[1];
    const listPath = op === 'missing' ? (args.length === 1 && Array.isArray(args[0]) ? argPath(0) : here) : argPath(1);
    if (op === 'missing_some' && (typeof args[0] !== 'number' || !Number.isInteger(args[0]) || args[0] < 0)) {
      problems.push({ path: argPath(0), message: 'missing_some takes how many fields must be present (a whole number), then a list of paths' });
    }
    if (!Array.isArray(list)) {
      problems.push({ path: listPath, message: `${op} takes a list of paths such as ["data.email", "data.phone"]` });
      return;
    }
    list.forEach((p, i) => checkVarPath(p, `${listPath}/${i}`, scoped, problems, op, roots));
    return;
  }
  args.forEach((arg, i) => visit(arg, argPath(i), scoped || (ITERATORS.has(op) && i === 1), depth + 1, problems, roots));
}

/**
 * Variable paths must be literal (so they can be checked here) and, outside an iterator, start at
 * one of the context roots. Inside `some`/`all`/`map`/... paths are relative to the element.
 */
function checkVarPath(name: unknown, path: string, scoped: boolean, problems: Problem[], op: string, roots: readonly string[]): void {
  if (scoped && (typeof name === 'number' || name === '' || name === null)) return; // the element, or an index
  if (typeof name !== 'string') {
    problems.push({ path, message: `${op} takes a literal dotted path such as "data.activity.servesAlcohol" (got ${name === null ? 'null' : typeof name})` });
    return;
  }
  const segments = name.split('.');
  if (name === '') {
    problems.push({ path, message: `${op} needs a path starting with ${roots.map((r) => `${r}.`).join(', ')}` });
    return;
  }
  if (segments.some((s) => s === '')) {
    problems.push({ path, message: `'${name}' is not a dotted path: remove the empty segment` });
    return;
  }
  if (segments.some((s) => FORBIDDEN_SEGMENTS.has(s))) {
    problems.push({ path, message: `'${name}' may not use __proto__, prototype or constructor` });
    return;
  }
  if (scoped) return;
  const [root, second, third] = segments;
  if (!roots.includes(root)) {
    problems.push({ path, message: roots === ROOTS ? `'${name}' must start with data., subject. or steps. (the journey's data, its subject, or a step)` : `'${name}' must start with ${roots.map((r) => `${r}.`).join(', ')}` });
  } else if (root === 'subject' && second !== undefined && !SUBJECT_FIELDS.includes(second)) {
    problems.push({ path, message: `'${name}': the subject has only ${SUBJECT_FIELDS.map((f) => `subject.${f}`).join(' and ')}` });
  } else if (root === 'steps' && third !== undefined && !STEP_FIELDS.includes(third)) {
    problems.push({ path, message: `'${name}': a step exposes only steps.${second}.status and steps.${second}.outcome` });
  }
}

/**
 * The variable names a condition reads from the journey's context: `var` and `missing`
 * operands outside iterator scopes (inside `some`/`all`/… a `var` reads the element instead).
 * Only names given as text count; a computed name cannot be known before the condition runs.
 */
export function variablesRead(condition: unknown): string[] {
  const found = new Set<string>();
  const note = (name: unknown) => {
    if (typeof name === 'string') found.add(name);
  };
  const walk = (node: unknown, scoped: boolean, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(node)) return node.forEach((n) => walk(n, scoped, depth + 1));
    if (!isOperation(node)) return;
    for (const [op, raw] of Object.entries(node)) {
      const args = argsOf(raw);
      if (op === 'var') {
        if (!scoped) note(args[0]);
        walk(args[1], scoped, depth + 1);
      } else if (op === 'missing' || op === 'missing_some') {
        const list = op === 'missing' ? (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) : args[1];
        if (!scoped && Array.isArray(list)) list.forEach(note);
      } else {
        args.forEach((arg, i) => walk(arg, scoped || (ITERATORS.has(op) && i === 1), depth + 1));
      }
    }
  };
  walk(condition, false, 0);
  return [...found];
}

/** The node keys a condition reads through `steps.<key>` (outside iterator scopes). */
export function referencedSteps(condition: unknown): string[] {
  const keys = variablesRead(condition).flatMap((name) => (name.startsWith('steps.') && name.split('.')[1] ? [name.split('.')[1]] : []));
  return [...new Set(keys)];
}

export interface ConditionResult {
  /** JSONLogic truthiness of the result; false whenever `error` is set. */
  value: boolean;
  /** Why the condition could not be evaluated (invalid condition, or data of the wrong shape). */
  error?: string;
}

/**
 * Evaluates a condition without ever throwing. The condition is validated first (defence in
 * depth: a stored definition may predate a rule), then applied; an exception from bad data
 * (e.g. `in` over a number) gives `{ value: false, error }`. Missing data is not an error:
 * `var` yields null, which compares as usual.
 */
export function tryEvaluateCondition(condition: unknown, context: ConditionContext | Record<string, unknown>, roots: readonly string[] = ROOTS): ConditionResult {
  const problems = validateCondition(condition, '', roots);
  if (problems.length) {
    const first = problems[0];
    return { value: false, error: `the condition is not valid: ${first.path ? `${first.path}: ` : ''}${first.message}` };
  }
  try {
    return { value: jsonLogic.truthy(jsonLogic.apply(condition as jsonLogic.RulesLogic, context)) };
  } catch (err) {
    return { value: false, error: `the condition could not be evaluated on this journey's data: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Truthiness of the condition; false when it cannot be evaluated (use tryEvaluateCondition to know why). */
export function evaluateCondition(condition: unknown, context: ConditionContext): boolean {
  return tryEvaluateCondition(condition, context).value;
}
