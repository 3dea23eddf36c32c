import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DecisionObjections } from '@levensloop/persistence';
import { TemporalModule } from '../temporal/temporal.module';
import { ObjectionsController } from './objections.controller';
import { ObjectionsService } from './objections.service';

@Module({
  imports: [TemporalModule],
  controllers: [ObjectionsController],
  providers: [{ provide: DecisionObjections, useFactory: (ds: DataSource) => new DecisionObjections(ds), inject: [DataSource] }, ObjectionsService],
})
export class ObjectionsModule {}
