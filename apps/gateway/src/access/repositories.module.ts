import { Global, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LevensloopConfig } from '@levensloop/config';
import { JourneyLauncher } from '@levensloop/journeys';
import {
  AgencyTeams,
  AuditLog,
  Consents,
  DataAccessLog,
  DecisionOverrides,
  Decisions,
  JourneyChanges,
  JourneyFacts,
  JourneyReadModel,
  Letters,
  Mandates,
  NotificationInbox,
  Preferences,
  SourceEventInbox,
  Stats,
  StepData,
  SupervisorNotices,
  Tasks,
  Templates,
} from '@levensloop/persistence';
import { CONFIG } from '../config.provider';
import { TemporalModule } from '../temporal/temporal.module';
import { TemporalService } from '../temporal/temporal.provider';
import { AccessService } from './access.service';

/** Each repository is a plain class over the one DataSource; Nest hands out one of each. */
const repositories = [AgencyTeams, AuditLog, Consents, DataAccessLog, DecisionOverrides, Decisions, JourneyFacts, Letters, Mandates, NotificationInbox, Preferences, SourceEventInbox, Stats, StepData, SupervisorNotices, Templates];
const providers: Provider[] = [
  ...repositories.map((Repository) => ({ provide: Repository, useFactory: (ds: DataSource) => new Repository(ds), inject: [DataSource] })),
  // The projection's notifications on one LISTEN connection of the gateway: who waits for a journey's change (a cancel) wakes on them.
  { provide: JourneyChanges, useFactory: (ds: DataSource) => new JourneyChanges(ds), inject: [DataSource] },
  { provide: JourneyReadModel, useFactory: (ds: DataSource, changes: JourneyChanges) => new JourneyReadModel(ds, changes), inject: [DataSource, JourneyChanges] },
  { provide: Tasks, useFactory: (ds: DataSource, changes: JourneyChanges) => new Tasks(ds, changes), inject: [DataSource, JourneyChanges] },
  // Starts journeys (POST /journeys) and reads a journey's start before its first projection (reads of any journey).
  {
    provide: JourneyLauncher,
    useFactory: (temporal: TemporalService, config: LevensloopConfig) => new JourneyLauncher({ client: temporal.client, taskQueue: config.temporal.taskQueue, subjectHashKey: config.temporal.subjectHashKey, reminderBefore: config.notifications.reminderBefore }),
    inject: [TemporalService, CONFIG],
  },
];

/** The repositories, the journey launcher and the access checks every feature module uses. */
@Global()
@Module({ imports: [TemporalModule], providers: [...providers, AccessService], exports: [...repositories, JourneyChanges, JourneyReadModel, Tasks, JourneyLauncher, AccessService] })
export class RepositoriesModule implements OnApplicationShutdown {
  constructor(private readonly changes: JourneyChanges) {}

  /** The LISTEN connection is the gateway's own (not the DataSource's pool): closed with it. */
  async onApplicationShutdown() {
    await this.changes.close();
  }
}
