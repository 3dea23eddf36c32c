import { tryEvaluateCondition, validateCondition, variablesRead } from './conditions';
import { readPath } from './data-requirements';
import { DECISION_OUTCOMES, LANGUAGES, type DataRequirement, type DecisionOutcome, type DecisionRule, type Language, type StepKind, type TimelineEvent, type Translations } from './model';
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
  /**
   * `fields[source][field path]`, only the fields the step declared. Dotted field paths may be
   * given flat (`{ "address.postalCode": "9000" }`) or nested; rules read them nested.
   */
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
/** Decisions store the rule version in an int column. */
const MAX_RULE_VERSION = 2_147_483_647;
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
  if (typeof rule.version !== 'number' || !Number.isInteger(rule.version) || rule.version < 1 || rule.version > MAX_RULE_VERSION) {
    problems.push({ path: '/rule/version', message: `the rule version must be a whole number from 1 to ${MAX_RULE_VERSION}` });
  }
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
export function evaluateDecision(rule: DecisionRule, given: DecisionContext): DecisionResult {
  const context: DecisionContext = { ...given, fields: nestFields(given.fields) };
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

/**
 * `{fields.national-register.birthDate}` (or short, `{national-register.birthDate}`), `{data.x}` and
 * `{subject.id}` become their values; unknown ones stay visible as "?".
 */
export function fillExplanation(texts: Translations, given: DecisionContext): Translations {
  const context: DecisionContext = { ...given, fields: nestFields(given.fields) };
  const out: Partial<Record<Language, string>> = {};
  for (const lang of LANGUAGES) {
    const text = texts[lang];
    if (text === undefined) continue;
    out[lang] = text.replace(PLACEHOLDER, (_m, path: string) => {
      const [root, ...rest] = path.split('.');
      let value: unknown;
      if (root === 'fields' && rest.length >= 2) value = readPath(context.fields[rest[0]], rest.slice(1).join('.'));
      else if (root === 'data' || root === 'subject') value = readPath(context[root], rest.join('.'));
      else if (rest.length >= 1 && Object.prototype.hasOwnProperty.call(context.fields, root)) value = readPath(context.fields[root], rest.join('.'));
      return value === undefined || value === null ? '?' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    });
  }
  return out as Translations;
}

/** What stands in for a value a reader may not see. */
export const WITHHELD = '…';

const WITHHELD_TEXT: Translations = {
  nl: 'De toelichting noemt gegevens uit registers die u niet mag inzien.',
  fr: "L'explication cite des données de registres que vous ne pouvez pas consulter.",
  de: 'Die Begründung nennt Registerdaten, die Sie nicht einsehen dürfen.',
  en: 'The explanation names register values you may not see.',
};

/**
 * The explanation a decision gave, with every placeholder's value withheld ("…"), for a reader
 * who may see the decision but not its inputs: the rule's text at `branch` (-1: otherwise), or,
 * for a rule that could not be evaluated, the referral without the error (which may quote a value).
 * Without the rule (or another one than the decision used), a text that says it is withheld.
 */
export function withheldExplanation(rule: DecisionRule | null | undefined, decided: { ruleId: string; ruleVersion: number; branch: number; error?: unknown }): Translations {
  if (decided.error !== undefined) return referralText(WITHHELD);
  if (!rule || rule.id !== decided.ruleId || rule.version !== decided.ruleVersion) return WITHHELD_TEXT;
  const texts = decided.branch === -1 ? rule.otherwise?.explanation : rule.branches?.[decided.branch]?.explanation;
  if (!texts) return WITHHELD_TEXT;
  const out: Partial<Record<Language, string>> = {};
  for (const lang of LANGUAGES) if (texts[lang] !== undefined) out[lang] = texts[lang]!.replace(PLACEHOLDER, WITHHELD);
  return out as Translations;
}

/** The explanation in the reader's language, falling back to Dutch. */
export const inLanguage = (texts: Translations, language: string | undefined): string => texts[(language ?? 'nl') as Language] ?? texts.nl;

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * `fields` with flat dotted paths nested (`address.postalCode` → `address: { postalCode }`), as
 * JSONLogic's `var` and the placeholders read them; the given objects are not changed.
 */
export function nestFields(fields: DecisionContext['fields'] | undefined): DecisionContext['fields'] {
  const out: DecisionContext['fields'] = {};
  for (const [source, values] of Object.entries(fields ?? {})) {
    if (!isRecord(values)) continue;
    const nested: Record<string, unknown> = {};
    // Shorter paths first, so `address.postalCode` lands inside `address` instead of being overwritten by it.
    const paths = Object.keys(values).sort((a, b) => a.split('.').length - b.split('.').length);
    for (const path of paths) {
      const segments = path.split('.');
      if (segments.some((s) => s === '' || FORBIDDEN_SEGMENTS.has(s))) continue;
      let node = nested;
      for (const segment of segments.slice(0, -1)) {
        const next = node[segment];
        node = node[segment] = isRecord(next) ? { ...next } : {};
      }
      node[segments[segments.length - 1]] = values[path];
    }
    out[source] = nested;
  }
  return out;
}

/** The `fields…` variable paths a condition reads (inside `some`/`all`/… `var` reads the element instead). */
export function fieldReferences(condition: unknown): string[] {
  return variablesRead(condition).filter((name) => name === 'fields' || name.startsWith('fields.'));
}

/**
 * A step receives only the fields it declares, so a rule that reads (or explains with) another
 * field would always see nothing. Problems at the branch's `when` or the explanation's language.
 */
export function ruleFieldProblems(rule: DecisionRule, requirements: DataRequirement[] | undefined): Problem[] {
  const declared = (requirements ?? []).filter((r) => isRecord(r) && typeof r.source === 'string' && typeof r.field === 'string');
  const sources = new Set(declared.map((r) => r.source));
  // Reading a declared field, a part of it, or an object that holds declared fields.
  const covers = (source: string, path: string) =>
    declared.some((r) => r.source === source && (path === r.field || path.startsWith(`${r.field}.`) || r.field.startsWith(`${path}.`)));
  const list = declared.length ? declared.map((r) => `${r.source}.${r.field}`).join(', ') : 'none';
  const problems: Problem[] = [];

  const checkExplanation = (texts: Translations, path: string) => {
    for (const lang of LANGUAGES) {
      const text = texts[lang];
      if (typeof text !== 'string') continue;
      for (const [, name] of text.matchAll(PLACEHOLDER)) {
        const [root, ...rest] = name.split('.');
        const ok =
          root === 'data'
            ? rest.length > 0 && rest.every((s) => s !== '')
            : root === 'subject'
              ? rest.length === 1 && (rest[0] === 'id' || rest[0] === 'type')
              : root === 'fields'
                ? rest.length >= 2 && covers(rest[0], rest.slice(1).join('.'))
                : sources.has(root) && rest.length >= 1 && covers(root, rest.join('.'));
        if (!ok) {
          problems.push({
            path: `${path}/${lang}`,
            message: `the placeholder {${name}} names nothing the rule can read: use {data.<name>}, {subject.id}, {subject.type} or {fields.<source>.<field>} of a declared field (declared: ${list})`,
          });
        }
      }
    }
  };

  rule.branches.forEach((branch, i) => {
    for (const name of fieldReferences(branch.when)) {
      const [, source, ...rest] = name.split('.');
      if (source && rest.length && covers(source, rest.join('.'))) continue;
      problems.push({
        path: `/rule/branches/${i}/when`,
        message: rest.length
          ? `the rule reads ${name}, but the step does not declare ${source}/${rest.join('.')} in dataRequirements (it receives only declared fields; declared: ${list})`
          : `the rule reads ${name}: read a field, e.g. fields.national-register.birthDate`,
      });
    }
    checkExplanation(branch.explanation, `/rule/branches/${i}/explanation`);
  });
  checkExplanation(rule.otherwise.explanation, '/rule/otherwise/explanation');
  return problems;
}

/** A caseworker's decision on a decision the rule referred to them: who, which way, and why. */
export interface ReferralDecision {
  outcome: 'grant' | 'deny';
  reason: string;
  by: string;
}

/** The reason a referral's decision carries when the caseworker gave no comment. */
export const REFERRAL_REASON = 'Decided by a caseworker after the rule referred the case.';

/**
 * A referred decision's answer is the decision: the journey's timeline event completing a
 * decision step's task (`step.completed` approves: grant; `step.rejected` refuses: deny), with
 * who answered and their comment as the reason. Undefined for every other event.
 */
export function referralDecisionOf(event: Pick<TimelineEvent, 'type' | 'detail'>, stepKind: StepKind | undefined): ReferralDecision | undefined {
  if (stepKind !== 'decision') return undefined;
  if (event.type !== 'step.completed' && event.type !== 'step.rejected') return undefined;
  const by = event.detail?.by;
  if (typeof by !== 'string' || !by) return undefined;
  const comment = event.detail?.comment;
  return { outcome: event.type === 'step.completed' ? 'grant' : 'deny', reason: typeof comment === 'string' ? comment : REFERRAL_REASON, by };
}
