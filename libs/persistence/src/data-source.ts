import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AgencyEntity, LifeEventEntity, ServiceStepEntity } from './entities/catalog.entities';
import {
  JourneyEntity,
  JourneyEventEntity,
  JourneyStepEntity,
  TaskEntity,
} from './entities/journey.entities';
import { MandateEntity, SourceEventEntity } from './entities/source-event.entities';
import { NOTIFICATION_ENTITIES } from './entities/notification.entities';
import {
  AuditLogEntity,
  ConsentEntity,
  ConsentWithdrawalEntity,
  DataAccessLogEntity,
  DecisionEntity,
  DecisionOverrideEntity,
  JourneyDataFieldEntity,
} from './entities/once-only.entities';
import { InitialSchema1763800000000 } from './migrations/1763800000000-initial-schema';
import { StepProjectionSeq1763900000000 } from './migrations/1763900000000-step-projection-seq';
import { OnceOnly1764000000000 } from './migrations/1764000000000-once-only';
import { Notifications1764100000000 } from './migrations/1764100000000-notifications';
import { DeliveryContent1764200000000 } from './migrations/1764200000000-delivery-content';
import { DeliveryClaimIndexes1764300000000 } from './migrations/1764300000000-delivery-claim-indexes';
import { TemplateScopes1764500000000 } from './migrations/1764500000000-template-scopes';
import { AgencyEndpointHosts1764400000000 } from './migrations/1764400000000-agency-endpoint-hosts';
import { AppendOnlyLogs1764700000000 } from './migrations/1764700000000-append-only-logs';
import { MandateScope1764800000000 } from './migrations/1764800000000-mandate-scope';
import { SmsDeliveryReports1764600000000 } from './migrations/1764600000000-sms-delivery-reports';
import { SmsReportInbox1765000000000 } from './migrations/1765000000000-sms-report-inbox';
import { OneWriterPerTable1765100000000 } from './migrations/1765100000000-one-writer-per-table';
import { NotificationTraceContext1765500000000 } from './migrations/1765500000000-notification-trace-context';
import { Retention1765600000000 } from './migrations/1765600000000-retention';
import { SharedRateLimits1765700000000 } from './migrations/1765700000000-shared-rate-limits';
import { LogRetentionFloors1765860000000 } from './migrations/1765860000000-log-retention-floors';
import { TeamsAndSupervisors1765830000000 } from './migrations/1765830000000-teams-and-supervisors';
import { DeliveryFallback1765840000000 } from './migrations/1765840000000-delivery-fallback';
import { LegalClock1765800000000 } from './migrations/1765800000000-legal-clock';
import { DecisionObjections1765810000000 } from './migrations/1765810000000-decision-objections';
import { EventTypes1765870000000 } from './migrations/1765870000000-event-types';
import { DecisionAppeals1765900000000 } from './migrations/1765900000000-decision-appeals';
import { DocumentObjects1766000000000 } from './migrations/1766000000000-document-objects';
import { Documents1765950000000 } from './migrations/1765950000000-documents';
import { EvidencePreviews1765990000000 } from './migrations/1765990000000-evidence-previews';
import { Payments1765960000000 } from './migrations/1765960000000-payments';
import { SupervisorContacts1765880000000 } from './migrations/1765880000000-supervisor-contacts';
import { AgencyServes1765910000000 } from './migrations/1765910000000-agency-serves';
import { AgencyTeams1765890000000 } from './migrations/1765890000000-agency-teams';
import { GrantedMandates1765930000000 } from './migrations/1765930000000-granted-mandates';

export const ENTITIES = [
  AgencyEntity,
  ServiceStepEntity,
  LifeEventEntity,
  JourneyEntity,
  JourneyStepEntity,
  JourneyEventEntity,
  TaskEntity,
  DataAccessLogEntity,
  JourneyDataFieldEntity,
  ConsentEntity,
  ConsentWithdrawalEntity,
  DecisionEntity,
  DecisionOverrideEntity,
  AuditLogEntity,
  SourceEventEntity,
  MandateEntity,
  ...NOTIFICATION_ENTITIES,
];
export const MIGRATIONS = [InitialSchema1763800000000, StepProjectionSeq1763900000000, OnceOnly1764000000000, Notifications1764100000000, DeliveryContent1764200000000, DeliveryClaimIndexes1764300000000, AgencyEndpointHosts1764400000000, TemplateScopes1764500000000, SmsDeliveryReports1764600000000, AppendOnlyLogs1764700000000, MandateScope1764800000000, SmsReportInbox1765000000000, OneWriterPerTable1765100000000, NotificationTraceContext1765500000000, Retention1765600000000, SharedRateLimits1765700000000, LegalClock1765800000000, DecisionObjections1765810000000, TeamsAndSupervisors1765830000000, DeliveryFallback1765840000000, LogRetentionFloors1765860000000, EventTypes1765870000000, SupervisorContacts1765880000000, AgencyTeams1765890000000, DecisionAppeals1765900000000, AgencyServes1765910000000, GrantedMandates1765930000000, Documents1765950000000, Payments1765960000000, EvidencePreviews1765990000000, DocumentObjects1766000000000];

/** The one DataSource configuration, used by the gateway, the worker, the CLI and the tests. */
export function dataSourceOptions(url: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    extra: { max: 10 },
    ...overrides,
  } as DataSourceOptions;
}

export function createDataSource(url: string, overrides: Partial<DataSourceOptions> = {}): DataSource {
  return new DataSource(dataSourceOptions(url, overrides));
}

/** Runs pending migrations (each in its own transaction) and closes the connection. */
export async function migrate(url: string): Promise<string[]> {
  const ds = createDataSource(url, { migrationsTransactionMode: 'each' });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations();
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
