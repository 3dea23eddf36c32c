import { Module } from '@nestjs/common';
import { JourneysModule } from '../journeys/journeys.module';
import { TemporalModule } from '../temporal/temporal.module';
import { EventsController } from './events.controller';
import { EventsRecovery } from './events.recovery';
import { EventsService } from './events.service';

@Module({
  imports: [JourneysModule, TemporalModule],
  controllers: [EventsController],
  providers: [EventsService, EventsRecovery],
})
export class EventsModule {}
