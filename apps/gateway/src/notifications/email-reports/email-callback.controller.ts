import { Controller, Headers, HttpCode, Post, Req, UseGuards, type RawBodyRequest } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiBody, ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../auth/decorators';
import { ApiProblems } from '../../catalog/dto/problem.response';
import { EmailCallbackRateLimitGuard } from '../../limits/rate-limit';
import { EmailReportsService } from './email-reports.service';

/** The mail side's delivery report (documentation; the raw body is checked against its signature first). */
export class EmailDeliveryReportDto {
  @ApiProperty({ example: '<5f0c2a9e-8c1b-4c55-9d55-2b4a3f1e0a11@levensloop.local>', description: 'The Message-ID of the e-mail as it was sent (it names the delivery)' })
  messageId: string;
  @ApiProperty({ enum: ['delivered', 'bounced'], description: 'bounced: the message cannot be delivered, for good (a hard bounce)' }) status: 'delivered' | 'bounced';
  @ApiProperty({ example: '2026-12-06T10:00:00.000Z' }) at: string;
  @ApiPropertyOptional({ example: '550 5.1.1 the mailbox does not exist' }) error?: string;
}

/** Reports from the mail side: no bearer token, authenticated by their signature as the SMS gateway's are. */
@ApiTags('callbacks')
@Controller('callbacks')
export class EmailCallbacksController {
  constructor(private readonly reports: EmailReportsService) {}

  @Post('email')
  @Public()
  @SkipThrottle({ address: true })
  @UseGuards(EmailCallbackRateLimitGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: "The mail side's delivery report (a bounce): a bounced e-mail fails for good and the message goes out once on the next channel (idempotent)",
    description:
      'No bearer token: the report is authenticated by X-Signature, sha256=<hex HMAC-SHA256 with EMAIL_CALLBACK_SECRET of "<X-Timestamp>.<X-Report-Id>.<raw body>">. ' +
      'A wrong or missing signature, or a timestamp more than 5 minutes old (or more than 30 s ahead), is refused with 401 and changes nothing. ' +
      'Report ids are remembered: the same report again answers as the first time did and changes nothing; a second bounce of the same e-mail changes nothing either. ' +
      'A bounce turns the e-mail (also one recorded as delivered when the mail server took it) into a permanent failure; the dispatcher then sends the message once on the next channel that reaches the person (SMS, e-mail, the paper letter last). ' +
      'Counted against RATE_LIMIT_EMAIL_CALLBACK per address, a budget of its own.',
  })
  @ApiHeader({ name: 'X-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<X-Report-Id>.<raw body>">' })
  @ApiHeader({ name: 'X-Timestamp', required: true, description: 'When this attempt was signed, in Unix seconds; refused when older than 5 minutes' })
  @ApiHeader({ name: 'X-Report-Id', required: true, description: "The report's id, the same on every attempt (1 to 200 visible ASCII characters)" })
  @ApiBody({ type: EmailDeliveryReportDto })
  @ApiProblems(400, 401, 404, 429, 503)
  email(
    @Req() req: RawBodyRequest<Request>,
    @Headers('x-signature') signature?: string,
    @Headers('x-timestamp') timestamp?: string,
    @Headers('x-report-id') reportId?: string,
  ) {
    return this.reports.receive(req.rawBody, { signature, timestamp, reportId }, req.body);
  }
}
