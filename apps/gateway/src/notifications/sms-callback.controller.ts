import { Controller, Headers, HttpCode, Post, Req, UseGuards, type RawBodyRequest } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/decorators';
import { ApiProblems } from '../catalog/dto/problem.response';
import { SmsCallbackRateLimitGuard } from '../limits/rate-limit';
import { SmsDeliveryReportDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

/** Reports from the channels' far ends: no bearer token, each authenticated by its own signature. */
@ApiTags('callbacks')
@Controller('callbacks')
export class CallbacksController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post('sms')
  @Public()
  @SkipThrottle({ address: true })
  @UseGuards(SmsCallbackRateLimitGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: "The SMS gateway's delivery report: settles the SMS delivery as delivered or failed (idempotent)",
    description:
      'No bearer token: the report is authenticated by X-Signature, sha256=<hex HMAC-SHA256 with SMS_CALLBACK_SECRET of "<X-Timestamp>.<X-Report-Id>.<raw body>">. ' +
      'A wrong or missing signature, or a timestamp more than 5 minutes old (or more than 30 s ahead), is refused with 401 and changes nothing. ' +
      'Report ids are remembered: the same report again answers as the first time did and changes nothing. A delivered or failed status is final (a delivered report may still correct a failure the dispatcher assumed). ' +
      "The delivery is found by reference (the delivery id, which was also the idempotency key) or by the gateway's message id.",
  })
  @ApiHeader({ name: 'X-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<X-Report-Id>.<raw body>">' })
  @ApiHeader({ name: 'X-Timestamp', required: true, description: 'When this attempt was signed, in Unix seconds; refused when older than 5 minutes' })
  @ApiHeader({ name: 'X-Report-Id', required: true, description: "The report's id, the same on every attempt (1 to 200 visible ASCII characters)" })
  @ApiBody({ type: SmsDeliveryReportDto })
  @ApiProblems(400, 401, 404, 429, 503)
  sms(
    @Req() req: RawBodyRequest<Request>,
    @Headers('x-signature') signature?: string,
    @Headers('x-timestamp') timestamp?: string,
    @Headers('x-report-id') reportId?: string,
  ) {
    return this.notifications.smsReport(req.rawBody, { signature, timestamp, reportId }, req.body);
  }
}
