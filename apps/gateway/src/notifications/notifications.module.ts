import { Module } from '@nestjs/common';
import { LettersController } from './letters.controller';
import { CallbacksController } from './sms-callback.controller';
import { EmailCallbacksController } from './email-reports/email-callback.controller';
import { EmailReportsService } from './email-reports/email-reports.service';
import { LettersService } from './letters.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { PreferencesService } from './preferences.service';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

/** Templates, a citizen's messages and preferences, a journey's deliveries, SMS delivery reports, letters. */
@Module({
  controllers: [TemplatesController, NotificationsController, LettersController, CallbacksController, EmailCallbacksController],
  providers: [TemplatesService, NotificationsService, PreferencesService, LettersService, EmailReportsService],
})
export class NotificationsModule {}
