import type { AgencyEntity, LifeEventEntity, ServiceStepEntity } from '@levensloop/persistence';
import type { LifeEventDefinition, ServiceStepDefinition, Translations, VersionStatus } from '@levensloop/domain';
import { normaliseLifeEvent, normaliseStep } from './normalise';

/** What the catalog returns: definitions plus their version, status and moments. */
export interface AgencyView {
  code: string;
  names: Translations;
  /** The hosts (`host[:port]`) its automatic steps may call. */
  endpointHosts: string[];
  /** What it serves per agency role, e.g. { municipality: '44021' } (absent: nothing). */
  serves?: Record<string, string>;
  createdAt: Date;
}

export interface VersionInfo {
  version: number;
  status: VersionStatus;
  createdAt: Date;
  publishedAt: Date | null;
  retiredAt: Date | null;
}

export type StepVersionView = ServiceStepDefinition & VersionInfo;
export type LifeEventVersionView = LifeEventDefinition & VersionInfo;

/** A step as submitted for an agency: `agency` may be left out (it comes from the path). */
export type StepDraftInput = Omit<ServiceStepDefinition, 'agency'> & { agency?: string };

const versionInfo = (row: ServiceStepEntity | LifeEventEntity): VersionInfo => ({
  version: row.version,
  status: row.status,
  createdAt: row.createdAt,
  publishedAt: row.publishedAt,
  retiredAt: row.retiredAt,
});

export const toAgencyView = (row: AgencyEntity): AgencyView => ({
  code: row.code,
  names: row.names,
  endpointHosts: row.endpointHosts ?? [],
  ...(row.serves && Object.keys(row.serves).length ? { serves: row.serves } : {}),
  createdAt: row.createdAt,
});

// The columns are authoritative for identity; the jsonb holds the rest.
export const toStepView = (row: ServiceStepEntity): StepVersionView => ({
  ...normaliseStep({ ...row.definition, agency: row.agency, key: row.key }),
  ...versionInfo(row),
});

export const toLifeEventView = (row: LifeEventEntity): LifeEventVersionView => ({
  ...normaliseLifeEvent({ ...row.definition, key: row.key }),
  ...versionInfo(row),
});

/** The definition part of a view (drops version, status and moments). */
export function stepDefinitionOf(view: StepVersionView): ServiceStepDefinition {
  return normaliseStep(view);
}
