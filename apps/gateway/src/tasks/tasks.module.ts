import { Module } from '@nestjs/common';
import { TemporalModule } from '../temporal/temporal.module';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

@Module({ imports: [TemporalModule], controllers: [TasksController], providers: [TasksService] })
export class TasksModule {}
