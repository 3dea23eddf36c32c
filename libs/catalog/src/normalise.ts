import {
  isRoleReference,
  LANGUAGES,
  roleReference,
  type DataRequirement,
  type DecisionRule,
  type LifeEventDefinition,
  type LifeEventNode,
  type LifeEventTrigger,
  type ServiceStepDefinition,
  type Translations,
} from '@levensloop/domain';

/**
 * The stored shape of definitions: known fields only, in a fixed order, optional fields left out
 * when empty. Applied after validation, so the fields have the right types. Storing this shape
 * (rather than what the caller sent) makes "is this the same definition?" a plain comparison.
 */

export function normaliseTitles(titles: Translations): Translations {
  const out: Partial<Record<string, string>> = {};
  for (const lang of LANGUAGES) if (titles[lang] !== undefined) out[lang] = titles[lang];
  return out as Translations;
}

export function normaliseStep(def: ServiceStepDefinition): ServiceStepDefinition {
  const { target, warn, escalate, maxExtension } = def.serviceNorm;
  return {
    agency: def.agency,
    key: def.key,
    kind: def.kind,
    titles: normaliseTitles(def.titles),
    ...(def.endpoint !== undefined ? { endpoint: def.endpoint } : {}),
    serviceNorm: { target, ...(warn !== undefined ? { warn } : {}), ...(escalate !== undefined ? { escalate } : {}), ...(maxExtension !== undefined ? { maxExtension } : {}) },
    ...(def.retry !== undefined
      ? {
          retry: {
            maximumAttempts: def.retry.maximumAttempts,
            initialInterval: def.retry.initialInterval,
            backoffCoefficient: def.retry.backoffCoefficient,
            maximumInterval: def.retry.maximumInterval,
          },
        }
      : {}),
    ...(def.dataRequirements?.length ? { dataRequirements: def.dataRequirements.map(normaliseRequirement) } : {}),
    ...(def.rule !== undefined ? { rule: normaliseRule(def.rule) } : {}),
    ...(def.outputs?.length ? { outputs: def.outputs.map((o) => ({ name: o.name, ...(o.type !== undefined ? { type: o.type } : {}) })) } : {}),
    ...(def.team !== undefined ? { team: def.team } : {}),
    ...(def.compensation !== undefined ? { compensation: normaliseCompensation(def.compensation) } : {}),
    ...(def.objection !== undefined ? { objection: normaliseObjection(def.objection) } : {}),
    ...(def.documents?.length
      ? {
          documents: def.documents.map((d) => ({
            key: d.key,
            titles: normaliseTitles(d.titles),
            acceptedTypes: [...d.acceptedTypes],
            maxBytes: d.maxBytes,
            ...(d.required !== undefined ? { required: d.required } : {}),
            ...(d.evidence !== undefined ? { evidence: { source: d.evidence.source, type: d.evidence.type, purpose: normaliseTitles(d.evidence.purpose), legalBasis: { type: d.evidence.legalBasis.type, reference: d.evidence.legalBasis.reference } } } : {}),
          })),
        }
      : {}),
    ...(def.appointment !== undefined
      ? { appointment: { calendar: def.appointment.calendar, duration: def.appointment.duration, place: normaliseTitles(def.appointment.place), bookWithin: def.appointment.bookWithin, reminderBefore: def.appointment.reminderBefore } }
      : {}),
    ...(def.payment !== undefined
      ? { payment: { amount: def.payment.amount, purpose: normaliseTitles(def.payment.purpose), linkValidFor: def.payment.linkValidFor, reminderBefore: def.payment.reminderBefore } }
      : {}),
  };
}

function normaliseObjection(o: NonNullable<ServiceStepDefinition['objection']>): NonNullable<ServiceStepDefinition['objection']> {
  const appeal = o.appeal && { term: o.appeal.term, ...(o.appeal.agency !== undefined ? { agency: o.appeal.agency } : {}) };
  return { term: o.term, ...(o.reviewingAgency !== undefined ? { reviewingAgency: o.reviewingAgency } : {}), ...(appeal ? { appeal } : {}) };
}

function normaliseCompensation(c: NonNullable<ServiceStepDefinition['compensation']>): NonNullable<ServiceStepDefinition['compensation']> {
  if (c.endpoint !== undefined) return { endpoint: c.endpoint };
  return { task: c.task?.titles ? { titles: normaliseTitles(c.task.titles) } : {} };
}

export function normaliseRequirement(r: DataRequirement): DataRequirement {
  return { source: r.source, field: r.field, purpose: normaliseTitles(r.purpose), legalBasis: { type: r.legalBasis.type, reference: r.legalBasis.reference } };
}

export function normaliseRule(rule: DecisionRule): DecisionRule {
  return {
    id: rule.id,
    version: rule.version,
    branches: rule.branches.map((b) => ({ when: b.when, outcome: b.outcome, explanation: normaliseTitles(b.explanation) })),
    otherwise: { outcome: rule.otherwise.outcome, explanation: normaliseTitles(rule.otherwise.explanation) },
  };
}

export function normaliseTrigger(t: LifeEventTrigger): LifeEventTrigger {
  return {
    eventType: t.eventType,
    subject: { type: t.subject.type, path: t.subject.path },
    ...(t.condition !== undefined ? { condition: t.condition } : {}),
    ...(t.data && Object.keys(t.data).length ? { data: { ...t.data } } : {}),
    ...(t.mandates !== undefined
      ? {
          mandates: {
            path: t.mandates.path,
            kind: t.mandates.kind,
            ...(t.mandates.access !== undefined ? { access: t.mandates.access } : {}),
            ...(t.mandates.lifeEvents !== undefined ? { lifeEvents: t.mandates.lifeEvents } : {}),
          },
        }
      : {}),
  };
}

export function normaliseNode(node: LifeEventNode): LifeEventNode {
  return {
    key: node.key,
    // A step named by role keeps its role (stored with the role's answering agency and version 0).
    step: isRoleReference(node.step) ? roleReference(node.step.agencyRole, node.step.key) : { agency: node.step.agency, key: node.step.key, version: node.step.version },
    ...(node.dependsOn?.length ? { dependsOn: [...node.dependsOn] } : {}),
    ...(node.condition !== undefined ? { condition: node.condition } : {}),
    ...(node.optional ? { optional: true } : {}),
  };
}

export function normaliseLifeEvent(def: LifeEventDefinition): LifeEventDefinition {
  return {
    key: def.key,
    audience: def.audience,
    titles: normaliseTitles(def.titles),
    nodes: def.nodes.map(normaliseNode),
    ...(def.triggers?.length ? { triggers: def.triggers.map(normaliseTrigger) } : {}),
  };
}

/** JSON with object keys sorted: jsonb gives keys back in its own order, so compare this way. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export const sameStep = (a: ServiceStepDefinition, b: ServiceStepDefinition) => canonicalJson(normaliseStep(a)) === canonicalJson(normaliseStep(b));
/** Two rules with the same id and version must be the same rule (an auditor replays decisions by id and version). */
export const sameRule = (a: DecisionRule, b: DecisionRule) => canonicalJson(normaliseRule(a)) === canonicalJson(normaliseRule(b));
export const sameLifeEvent = (a: LifeEventDefinition, b: LifeEventDefinition) => canonicalJson(normaliseLifeEvent(a)) === canonicalJson(normaliseLifeEvent(b));
