import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LevensloopConfig } from '@levensloop/config';
import { statusAfterEmailReports } from '@levensloop/notifications';
import { EmailReports } from '@levensloop/persistence';
import { CONFIG } from '../../config.provider';
import { notFound } from '../../common/problem';
import { signedReport, type SmsReportHeaders } from '../notification-helpers';
import { deliveryOfMessageId, parseEmailReport } from './email-report';

/**
 * The mail side's delivery reports (bounces): checked like the SMS gateway's (the same signed
 * headers, with EMAIL_CALLBACK_SECRET), stored once per report id for the dispatcher to apply. A
 * bounce turns the e-mail into a permanent failure, and the dispatcher sends the message once on
 * the next channel that reaches the person.
 */
@Injectable()
export class EmailReportsService {
  private readonly logger = new Logger('EmailReports');
  private readonly reports: EmailReports;

  constructor(
    db: DataSource,
    @Inject(CONFIG) private readonly config: LevensloopConfig,
  ) {
    this.reports = new EmailReports(db);
  }

  async receive(rawBody: Buffer | undefined, headers: SmsReportHeaders, body: unknown) {
    const { reportId, signedAt, report } = signedReport(rawBody, headers, body, { value: this.config.notifications.emailCallbackSecret, name: 'EMAIL_CALLBACK_SECRET', what: 'Mail delivery reports' }, parseEmailReport);
    const received = await this.reports.receive({
      reportId,
      messageId: report.messageId,
      deliveryId: deliveryOfMessageId(report.messageId),
      status: report.status,
      at: report.at,
      error: report.error ?? null,
      signedAt,
    });
    if (!received.found) throw notFound(`An e-mail delivery with Message-ID ${JSON.stringify(report.messageId)}`);
    const before = statusAfterEmailReports(received.delivery.status, received.pending).status;
    if (!received.stored) {
      this.logger.log(`e-mail delivery ${received.delivery.id}: report ${reportId} received again; ignored`);
      return { delivery: received.delivery.id, status: before, changed: false };
    }
    const after = statusAfterEmailReports(before, [report]);
    if (after.changed) this.logger.log(`e-mail delivery ${received.delivery.id}: ${after.status} (${report.status})`);
    return { delivery: received.delivery.id, status: after.status, changed: after.changed };
  }
}
