import { Global, Module, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AuditLog,
  Consents,
  DataAccessLog,
  Decisions,
  JourneyFacts,
  Letters,
  NotificationInbox,
  Preferences,
  Stats,
  StepData,
  Tasks,
  Templates,
} from '@levensloop/persistence';
import { AccessService } from './access.service';

/** Each repository is a plain class over the one DataSource; Nest hands out one of each. */
const repositories = [AuditLog, Consents, DataAccessLog, Decisions, JourneyFacts, Letters, NotificationInbox, Preferences, Stats, StepData, Tasks, Templates];
const providers: Provider[] = repositories.map((Repository) => ({ provide: Repository, useFactory: (ds: DataSource) => new Repository(ds), inject: [DataSource] }));

/** The repositories and the access checks every feature module uses. */
@Global()
@Module({ providers: [...providers, AccessService], exports: [...repositories, AccessService] })
export class RepositoriesModule {}
