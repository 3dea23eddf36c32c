import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GrantedMandates } from '@levensloop/persistence';
import { CatalogModule } from '../catalog/catalog.module';
import { GrantedMandatesService } from './granted-mandates.service';
import { MandatesController } from './mandates.controller';
import { MandatesService } from './mandates.service';
import { Representatives } from './representatives';

/**
 * Global: every access check (journeys, tasks, data use) asks it whether a citizen acts for a
 * subject. Source events grant and revoke mandates in the worker (the source-event workflow);
 * people grant, accept and revoke theirs here (`GrantedMandatesService`).
 */
@Global()
@Module({
  imports: [CatalogModule],
  controllers: [MandatesController],
  providers: [MandatesService, GrantedMandatesService, Representatives, { provide: GrantedMandates, useFactory: (ds: DataSource) => new GrantedMandates(ds), inject: [DataSource] }],
  exports: [MandatesService],
})
export class MandatesModule {}
