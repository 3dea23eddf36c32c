import { Module } from '@nestjs/common';
import { TemporalModule } from '../temporal/temporal.module';
import { PaymentCallbacksController, PaymentRenewalController } from './payments.controller';
import { PaymentsService } from './payments.service';

@Module({
  imports: [TemporalModule],
  controllers: [PaymentCallbacksController, PaymentRenewalController],
  providers: [PaymentsService],
})
export class PaymentsModule {}
