import { Global, Module } from '@nestjs/common';
import { MandatesController } from './mandates.controller';
import { MandateGrants } from './mandate-grants';
import { MandatesService } from './mandates.service';

/**
 * Global: every access check (journeys, tasks, data use) asks it whether a citizen acts for a
 * subject; source events grant and revoke mandates through MandateGrants.
 */
@Global()
@Module({
  controllers: [MandatesController],
  providers: [MandatesService, MandateGrants],
  exports: [MandatesService, MandateGrants],
})
export class MandatesModule {}
