import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogService } from '@levensloop/catalog';
import { AgenciesController } from './agencies.controller';
import { LifeEventsController } from './life-events.controller';
import { SourcesController } from './sources.controller';
import { AllStepsController, StepsController } from './steps.controller';

/**
 * The catalog API. CatalogService is a plain class (the CLI uses it too), built here on the
 * DataSource of TypeOrmModule.forRoot(Async) and exported for the journeys module.
 * CatalogError → problem+json (404/409/422) is done by the global ProblemDetailsFilter.
 */
@Module({
  controllers: [AgenciesController, StepsController, AllStepsController, LifeEventsController, SourcesController],
  providers: [{ provide: CatalogService, useFactory: (dataSource: DataSource) => new CatalogService(dataSource), inject: [DataSource] }],
  exports: [CatalogService],
})
export class CatalogModule {}
