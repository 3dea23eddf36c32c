import { Module } from '@nestjs/common';
import { TemporalModule } from '../temporal/temporal.module';
import { SupervisionController } from './supervision.controller';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

@Module({ imports: [TemporalModule], controllers: [TasksController, SupervisionController], providers: [TasksService] })
export class TasksModule {}
