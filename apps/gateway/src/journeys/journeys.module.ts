import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { TemporalModule } from '../temporal/temporal.module';
import { JourneysController } from './journeys.controller';
import { JourneysService } from './journeys.service';

@Module({
  imports: [CatalogModule, TemporalModule],
  controllers: [JourneysController],
  providers: [JourneysService],
  exports: [JourneysService],
})
export class JourneysModule {}
