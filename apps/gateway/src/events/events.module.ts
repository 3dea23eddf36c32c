import { Module } from '@nestjs/common';
import { TemporalModule } from '../temporal/temporal.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { SourceEventStarter } from './source-event-starter';

@Module({
  imports: [TemporalModule],
  controllers: [EventsController],
  providers: [EventsService, SourceEventStarter],
})
export class EventsModule {}
