import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DecisionAppeals, DecisionObjections } from '@levensloop/persistence';
import { TemporalModule } from '../temporal/temporal.module';
import { ObjectionsController } from './objections.controller';
import { ObjectionsService } from './objections.service';
import { AppealsController } from './appeals.controller';
import { AppealsService } from './appeals.service';

@Module({
  imports: [TemporalModule],
  controllers: [ObjectionsController, AppealsController],
  providers: [
    { provide: DecisionObjections, useFactory: (ds: DataSource) => new DecisionObjections(ds), inject: [DataSource] },
    { provide: DecisionAppeals, useFactory: (ds: DataSource) => new DecisionAppeals(ds), inject: [DataSource] },
    ObjectionsService,
    AppealsService,
  ],
})
export class ObjectionsModule {}
