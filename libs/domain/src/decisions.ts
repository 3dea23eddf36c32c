import { tryEvaluateCondition, validateCondition } from './conditions';
import { readPath } from './data-requirements';
import { DECISION_OUTCOMES, LANGUAGES, type DecisionOutcome, type DecisionRule, type Language, type Translations } from './model';
import type { Problem } from './problem';

/**
 * Automatic decisions: a rule is data (JSONLogic branches with explanations per language), so a
 * decision can be explained to the citizen and replayed by an auditor from its inputs, the rule
 * id and the rule version.
 */

/** What a decision rule reads: the journey's data, its subject, and the step's declared fields per source. */
export const DECISION_ROOTS = ['data', 'subject', 'fields'] as const;

export interface DecisionContext {
  data: Record<string, unknown>;
  subject: { type: string; id: string };
  /** `fields[source][field path]`, only the fields the step declared. */
  fields: Record<string, Record<string, unknown>>;
}

export interface DecisionResult {
  outcome: DecisionOutcome;
  /** Index of the branch that held; -1 for `otherwise`. */
  branch: number;
  /** The explanation in every language the rule has, placeholders filled in. */
  explanation: Translations;
  /** Set when a branch could not be evaluated: the decision is referred to a caseworker. */
  error?: string;
}

const MAX_BRANCHES = 50;
const RULE_ID = /^(?=.{2,64}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const PLACEHOLDER = /\{([A-Za-z0-9_.-]+)\}/g;
const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** Problems with a decision rule (paths under `/rule`); `checkTranslations` is the catalog's title check. */
export function validateDecisionRule(rule: unknown, checkTranslations: (value: unknown, path: string, problems: Problem[]) => void): Problem[] {
  if (!isRecord(rule)) {
    return [{ path: '/rule', message: 'a decision step needs a rule: { "id", "version", "branches": [{ "when", "outcome", "explanation" }], "otherwise": { "outcome", "explanation" } }' }];
  }
  const problems: Problem[] = [];
  if (typeof rule.id !== 'string' || !RULE_ID.test(rule.id)) problems.push({ path: '/rule/id', message: 'the rule id must be 2 to 64 characters of lowercase kebab case, e.g. birth-grant' });
  if (typeof rule.version !== 'number' || !Number.isInteger(rule.version) || rule.version < 1) problems.push({ path: '/rule/version', message: 'the rule version must be a whole number from 1' });
  const outcome = (value: unknown, path: string) => {
    if (!(DECISION_OUTCOMES as readonly string[]).includes(value as string)) problems.push({ path, message: `the outcome must be one of ${DECISION_OUTCOMES.join(', ')}` });
  };
  if (!Array.isArray(rule.branches) || rule.branches.length === 0) {
    problems.push({ path: '/rule/branches', message: 'a rule needs at least one branch: { "when": <JSONLogic over data, subject, fields>, "outcome": "grant", "explanation": { "nl": "…" } }' });
  } else {
    if (rule.branches.length > MAX_BRANCHES) problems.push({ path: '/rule/branches', message: `a rule has at most ${MAX_BRANCHES} branches` });
    rule.branches.forEach((branch: unknown, i) => {
      const path = `/rule/branches/${i}`;
      if (!isRecord(branch)) {
        problems.push({ path, message: 'a branch is { "when", "outcome", "explanation" }' });
        return;
      }
      if (branch.when === undefined) problems.push({ path: `${path}/when`, message: 'a branch needs a condition (when)' });
      else problems.push(...validateCondition(branch.when, `${path}/when`, DECISION_ROOTS));
      outcome(branch.outcome, `${path}/outcome`);
      checkTranslations(branch.explanation, `${path}/explanation`, problems);
    });
  }
  if (!isRecord(rule.otherwise)) problems.push({ path: '/rule/otherwise', message: 'a rule needs what happens when no branch holds: { "outcome": "refer", "explanation": { "nl": "…" } }' });
  else {
    outcome(rule.otherwise.outcome, '/rule/otherwise/outcome');
    checkTranslations(rule.otherwise.explanation, '/rule/otherwise/explanation', problems);
  }
  return problems;
}

/**
 * Evaluates a rule: the first branch that holds gives the outcome. A branch that cannot be
 * evaluated refers the decision to a caseworker (a person decides, never a broken rule).
 */
export function evaluateDecision(rule: DecisionRule, context: DecisionContext): DecisionResult {
  for (let i = 0; i < rule.branches.length; i++) {
    const branch = rule.branches[i];
    const result = tryEvaluateCondition(branch.when, context as unknown as Record<string, unknown>, DECISION_ROOTS);
    if (result.error) {
      return { outcome: 'refer', branch: i, explanation: referralText(result.error), error: result.error };
    }
    if (result.value) return { outcome: branch.outcome, branch: i, explanation: fillExplanation(branch.explanation, context) };
  }
  return { outcome: rule.otherwise.outcome, branch: -1, explanation: fillExplanation(rule.otherwise.explanation, context) };
}

function referralText(error: string): Translations {
  return {
    nl: `Een medewerker beslist over uw dossier: de regel kon niet automatisch worden toegepast (${error}).`,
    fr: `Un collaborateur statuera sur votre dossier : la règle n'a pas pu être appliquée automatiquement (${error}).`,
    de: `Ein Sachbearbeiter entscheidet über Ihre Akte: Die Regel konnte nicht automatisch angewendet werden (${error}).`,
    en: `A caseworker will decide on your file: the rule could not be applied automatically (${error}).`,
  };
}

/** `{fields.national-register.birthDate}` and `{data.x}` become their values; unknown ones stay visible as "?". */
export function fillExplanation(texts: Translations, context: DecisionContext): Translations {
  const out: Partial<Record<Language, string>> = {};
  for (const lang of LANGUAGES) {
    const text = texts[lang];
    if (text === undefined) continue;
    out[lang] = text.replace(PLACEHOLDER, (_m, path: string) => {
      const [root, ...rest] = path.split('.');
      let value: unknown;
      if (root === 'fields' && rest.length >= 2) value = readPath(context.fields[rest[0]], rest.slice(1).join('.'));
      else if (root === 'data' || root === 'subject') value = readPath(context[root], rest.join('.'));
      return value === undefined || value === null ? '?' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    });
  }
  return out as Translations;
}

/** The explanation in the reader's language, falling back to Dutch. */
export const inLanguage = (texts: Translations, language: string | undefined): string => texts[(language ?? 'nl') as Language] ?? texts.nl;
