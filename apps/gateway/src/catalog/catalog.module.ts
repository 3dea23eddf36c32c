import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogService, EventTypeCatalog } from '@levensloop/catalog';
import type { LevensloopConfig } from '@levensloop/config';
import { CONFIG } from '../config.provider';
import { AgenciesController } from './agencies.controller';
import { AgencyTeamsController } from './agency-teams.controller';
import { CpsvApController } from './cpsv-ap/cpsv-ap.controller';
import { CpsvApService } from './cpsv-ap/cpsv-ap.service';
import { EventTypesController } from './event-types.controller';
import { LifeEventsController } from './life-events.controller';
import { LifeEventPreviewController } from './preview/life-event-preview.controller';
import { SourcesController } from './sources.controller';
import { AllStepsController, StepsController } from './steps.controller';

/**
 * The catalog API. CatalogService is a plain class (the CLI uses it too), built here on the
 * DataSource of TypeOrmModule.forRoot(Async) and exported for the journeys module.
 * CatalogError → problem+json (404/409/422) is done by the global ProblemDetailsFilter.
 */
@Module({
  controllers: [AgenciesController, StepsController, AllStepsController, LifeEventsController, SourcesController, CpsvApController, EventTypesController, LifeEventPreviewController, AgencyTeamsController],
  providers: [
    {
      provide: CatalogService,
      // The production profile refuses plain http endpoints when a step is drafted.
      useFactory: (dataSource: DataSource, config: LevensloopConfig) => new CatalogService(dataSource, undefined, { httpsEndpointsOnly: config.profile === 'production' }),
      inject: [DataSource, CONFIG],
    },
    CpsvApService,
    // The event types the engine knows, kept in memory (the events' hot path reads them).
    { provide: EventTypeCatalog, useFactory: (dataSource: DataSource) => new EventTypeCatalog(dataSource), inject: [DataSource] },
  ],
  exports: [CatalogService, EventTypeCatalog],
})
export class CatalogModule {}
