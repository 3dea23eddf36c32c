import { Module } from '@nestjs/common';
import { TemporalModule } from '../temporal/temporal.module';
import { LegalClockController } from './legal-clock.controller';
import { LegalClockService } from './legal-clock.service';

@Module({
  imports: [TemporalModule],
  controllers: [LegalClockController],
  providers: [LegalClockService],
})
export class LegalClockModule {}
