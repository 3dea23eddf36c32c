import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { TemporalModule } from '../temporal/temporal.module';
import { JourneysController } from './journeys.controller';
import { JourneysService } from './journeys.service';
import { RoleStarts } from './role-start';

@Module({
  imports: [CatalogModule, TemporalModule],
  controllers: [JourneysController],
  providers: [JourneysService, RoleStarts],
  exports: [JourneysService],
})
export class JourneysModule {}
