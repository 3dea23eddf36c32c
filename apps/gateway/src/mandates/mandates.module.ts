import { Global, Module } from '@nestjs/common';
import { MandatesController } from './mandates.controller';
import { MandatesService } from './mandates.service';

/**
 * Global: every access check (journeys, tasks, data use) asks it whether a citizen acts for a
 * subject. Source events grant and revoke mandates in the worker (the source-event workflow).
 */
@Global()
@Module({
  controllers: [MandatesController],
  providers: [MandatesService],
  exports: [MandatesService],
})
export class MandatesModule {}
