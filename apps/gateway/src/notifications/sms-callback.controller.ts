import { Controller, Headers, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/decorators';
import { ApiProblems } from '../catalog/dto/problem.response';
import { SmsDeliveryReportDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

/** Reports from the channels' far ends: no bearer token, each authenticated by its own signature. */
@ApiTags('callbacks')
@Controller('callbacks')
export class CallbacksController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post('sms')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: "The SMS gateway's delivery report: settles the SMS delivery as delivered or failed (idempotent)",
    description:
      'No bearer token: the report is authenticated by X-Signature, sha256=<hex HMAC-SHA256 of the raw body with SMS_CALLBACK_SECRET>. ' +
      'A wrong or missing signature is refused with 401 and changes nothing. The delivery is found by reference (the delivery id, which was also the idempotency key) or by the gateway\'s message id.',
  })
  @ApiHeader({ name: 'X-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 of the raw body>' })
  @ApiBody({ type: SmsDeliveryReportDto })
  @ApiProblems(400, 401, 404)
  sms(@Req() req: RawBodyRequest<Request>, @Headers('x-signature') signature?: string) {
    return this.notifications.smsReport(req.rawBody, signature, req.body);
  }
}
