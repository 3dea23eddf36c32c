import { Module } from '@nestjs/common';
import { TemporalModule } from '../temporal/temporal.module';
import { DocumentsModule } from '../documents/documents.module';
import { SupervisionController } from './supervision.controller';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

@Module({ imports: [TemporalModule, DocumentsModule], controllers: [TasksController, SupervisionController], providers: [TasksService] })
export class TasksModule {}
