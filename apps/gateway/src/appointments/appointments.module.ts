import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppointmentSteps } from '@levensloop/persistence';
import { TemporalModule } from '../temporal/temporal.module';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsService } from './appointments.service';

/** Appointments on tasks: free slots, book, move, cancel. */
@Module({
  imports: [TemporalModule],
  controllers: [AppointmentsController],
  providers: [{ provide: AppointmentSteps, useFactory: (ds: DataSource) => new AppointmentSteps(ds), inject: [DataSource] }, AppointmentsService],
})
export class AppointmentsModule {}
