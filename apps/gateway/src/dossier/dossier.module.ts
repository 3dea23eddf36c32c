import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DecisionAppeals, DecisionObjections, DossierReads, TaskDocuments } from '@levensloop/persistence';
import { DossierController } from './dossier.controller';
import { DossierService } from './dossier.service';

/** The citizen's own dossier of a journey (GET /me/journeys/{id}/export), as PDF and JSON. */
@Module({
  controllers: [DossierController],
  providers: [
    { provide: DecisionObjections, useFactory: (ds: DataSource) => new DecisionObjections(ds), inject: [DataSource] },
    { provide: DecisionAppeals, useFactory: (ds: DataSource) => new DecisionAppeals(ds), inject: [DataSource] },
    { provide: TaskDocuments, useFactory: (ds: DataSource) => new TaskDocuments(ds), inject: [DataSource] },
    { provide: DossierReads, useFactory: (ds: DataSource) => new DossierReads(ds), inject: [DataSource] },
    DossierService,
  ],
})
export class DossierModule {}
