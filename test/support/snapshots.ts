import type { LifeEventSnapshot, ServiceStepDefinition, StepKind } from '@levensloop/domain';

/** Builds life event snapshots for workflow tests without going through the catalog. */
export function step(
  key: string,
  kind: StepKind,
  opts: { agency?: string; endpoint?: string; dependsOn?: string[]; condition?: unknown; norm?: Partial<ServiceStepDefinition['serviceNorm']>; maximumAttempts?: number; dataRequirements?: ServiceStepDefinition['dataRequirements'] } = {},
) {
  const agency = opts.agency ?? 'test-agency';
  const definition: ServiceStepDefinition & { version: number } = {
    agency,
    key,
    kind,
    version: 1,
    titles: { nl: `Stap ${key}`, en: `Step ${key}` },
    serviceNorm: { target: 'P5D', ...opts.norm },
    ...(opts.dataRequirements ? { dataRequirements: opts.dataRequirements } : {}),
    ...(kind === 'automatic'
      ? {
          endpoint: opts.endpoint ?? `http://127.0.0.1:1/agencies/${agency}/${key}`,
          retry: { maximumAttempts: opts.maximumAttempts ?? 3, initialInterval: 'PT0.1S', backoffCoefficient: 1.5, maximumInterval: 'PT0.5S' },
        }
      : {}),
  };
  return {
    key,
    step: { agency, key, version: 1 },
    ...(opts.dependsOn ? { dependsOn: opts.dependsOn } : {}),
    ...(opts.condition !== undefined ? { condition: opts.condition } : {}),
    definition,
  };
}

export function snapshot(key: string, nodes: LifeEventSnapshot['nodes']): LifeEventSnapshot {
  return { key, version: 1, audience: 'citizen', titles: { nl: `Levensgebeurtenis ${key}`, en: key }, nodes };
}
