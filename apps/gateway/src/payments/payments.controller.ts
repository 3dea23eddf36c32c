import { Controller, Headers, HttpCode, Param, Post, Req, UseGuards, type RawBodyRequest } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Public, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { PaymentCallbackRateLimitGuard } from '../limits/rate-limit';
import { WEBHOOK_TYPES } from './payment-webhook';
import { PaymentsService } from './payments.service';

/** The provider's webhook (documentation; the raw body is checked against its signature first). */
export class PaymentWebhookDto {
  @ApiProperty({ example: 'evt_5f0c2a9e-8c1b-4c55-9d55-2b4a3f1e0a11', description: 'The event id, the same on every delivery; must equal X-Event-Id' }) id: string;
  @ApiProperty({ enum: WEBHOOK_TYPES }) type: string;
  @ApiProperty({ example: 'tr_4f1a2b3c4d5e6f7a8b9c', description: "The provider's payment id, as the journey created it" }) paymentId: string;
  @ApiProperty({ example: '2026-12-06T10:00:00.000Z' }) at: string;
  @ApiPropertyOptional({ example: 're_9a8b7c6d5e4f3a2b1c0d', description: 'payment.refunded only' }) refundId?: string;
}

@ApiTags('callbacks')
@Controller('callbacks')
export class PaymentCallbacksController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('payments')
  @Public()
  @SkipThrottle({ address: true })
  @UseGuards(PaymentCallbackRateLimitGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: "The payment provider's webhook: a payment paid, failed, expired or refunded (idempotent per event id)",
    description:
      'No bearer token: the webhook is authenticated by X-Signature, sha256=<hex HMAC-SHA256 with PAYMENT_WEBHOOK_SECRET of "<X-Timestamp>.<X-Event-Id>.<raw body>">. ' +
      'A wrong or missing signature, or a timestamp more than 5 minutes old (or more than 30 s ahead), is refused with 401 and changes nothing. ' +
      'Paid, failed and expired are told to the payment step\'s journey with the event id as the update id, so a webhook delivered twice settles once (`duplicate: true` the second time). ' +
      'A payment no journey created is 404 (the provider tries again: the worker records a payment just after the provider created it); a settlement the journey cannot take yet is 409, an engine that does not answer 503 (both tried again). ' +
      'Counted against RATE_LIMIT_PAYMENT_CALLBACK per address, a budget of its own.',
  })
  @ApiHeader({ name: 'X-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<X-Event-Id>.<raw body>">' })
  @ApiHeader({ name: 'X-Timestamp', required: true, description: 'When this attempt was signed, in Unix seconds; refused when older than 5 minutes' })
  @ApiHeader({ name: 'X-Event-Id', required: true, description: "The event's id, the same on every delivery (1 to 200 visible ASCII characters)" })
  @ApiBody({ type: PaymentWebhookDto })
  @ApiProblems(400, 401, 404, 409, 429, 503)
  webhook(
    @Req() req: RawBodyRequest<Request>,
    @Headers('x-signature') signature?: string,
    @Headers('x-timestamp') timestamp?: string,
    @Headers('x-event-id') eventId?: string,
  ) {
    return this.payments.webhook(req.rawBody, { signature, timestamp, eventId }, req.body);
  }
}

@ApiTags('journeys')
@ApiBearerAuth()
@Controller('journeys/:id/steps/:node')
export class PaymentRenewalController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('payment')
  @HttpCode(202)
  @Roles('citizen')
  @ApiOperation({
    summary: 'The citizen (or whoever acts for them) asks a new payment link after a failed or expired payment',
    description:
      'The payment step creates a new payment at the provider (a new link, valid for the step\'s linkValidFor) and tells the citizen. Refused (409) while a link is still valid, once the step is paid, when a new link was already asked, or after 10 links. Audited (`step.payment_renewal_requested`).',
  })
  @ApiProblems(401, 403, 404, 409, 503)
  renew(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('node') node: string) {
    return this.payments.renew(p, id, node);
  }
}
