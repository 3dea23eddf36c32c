import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { TemporalModule } from '../temporal/temporal.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { SourceEventStarter } from './source-event-starter';

@Module({
  imports: [TemporalModule, CatalogModule],
  controllers: [EventsController],
  providers: [EventsService, SourceEventStarter],
})
export class EventsModule {}
