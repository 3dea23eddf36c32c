import { Global, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AuditLog,
  Consents,
  DataAccessLog,
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
  Tasks,
  Templates,
} from '@levensloop/persistence';
import { AccessService } from './access.service';

/** Each repository is a plain class over the one DataSource; Nest hands out one of each. */
const repositories = [AuditLog, Consents, DataAccessLog, Decisions, JourneyFacts, Letters, Mandates, NotificationInbox, Preferences, SourceEventInbox, Stats, StepData, Tasks, Templates];
const providers: Provider[] = [
  ...repositories.map((Repository) => ({ provide: Repository, useFactory: (ds: DataSource) => new Repository(ds), inject: [DataSource] })),
  // The projection's notifications on one LISTEN connection of the gateway: who waits for a journey's change (a cancel) wakes on them.
  { provide: JourneyChanges, useFactory: (ds: DataSource) => new JourneyChanges(ds), inject: [DataSource] },
  { provide: JourneyReadModel, useFactory: (ds: DataSource, changes: JourneyChanges) => new JourneyReadModel(ds, changes), inject: [DataSource, JourneyChanges] },
];

/** The repositories and the access checks every feature module uses. */
@Global()
@Module({ providers: [...providers, AccessService], exports: [...repositories, JourneyChanges, JourneyReadModel, AccessService] })
export class RepositoriesModule implements OnApplicationShutdown {
  constructor(private readonly changes: JourneyChanges) {}

  /** The LISTEN connection is the gateway's own (not the DataSource's pool): closed with it. */
  async onApplicationShutdown() {
    await this.changes.close();
  }
}
