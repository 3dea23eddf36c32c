import { LANGUAGES, type LifeEventDefinition, type LifeEventNode, type ServiceStepDefinition, type Translations } from '@levensloop/domain';

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
  const { target, warn, escalate } = def.serviceNorm;
  return {
    agency: def.agency,
    key: def.key,
    kind: def.kind,
    titles: normaliseTitles(def.titles),
    ...(def.endpoint !== undefined ? { endpoint: def.endpoint } : {}),
    serviceNorm: { target, ...(warn !== undefined ? { warn } : {}), ...(escalate !== undefined ? { escalate } : {}) },
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
  };
}

export function normaliseNode(node: LifeEventNode): LifeEventNode {
  return {
    key: node.key,
    step: { agency: node.step.agency, key: node.step.key, version: node.step.version },
    ...(node.dependsOn?.length ? { dependsOn: [...node.dependsOn] } : {}),
    ...(node.condition !== undefined ? { condition: node.condition } : {}),
    ...(node.optional ? { optional: true } : {}),
  };
}

export function normaliseLifeEvent(def: LifeEventDefinition): LifeEventDefinition {
  return { key: def.key, audience: def.audience, titles: normaliseTitles(def.titles), nodes: def.nodes.map(normaliseNode) };
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
export const sameLifeEvent = (a: LifeEventDefinition, b: LifeEventDefinition) => canonicalJson(normaliseLifeEvent(a)) === canonicalJson(normaliseLifeEvent(b));
