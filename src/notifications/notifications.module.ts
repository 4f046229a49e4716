import { AuditModule } from '../audit/audit.module';
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CalendarModule } from '../calendar/calendar.module';
import { BookingsRepositoryModule } from '../courses/bookings.repository';
import { PortalLinksModule } from '../portal/portal-links';
import { SchedulingModule } from '../scheduling/scheduled-runs';
import { EmailNotifications } from './email-notifications';
import { EmailTemplates } from './email-templates';
import { MailRetention } from './mail-retention';
import { MailerService } from './mailer.service';
import { NotificationScheduler } from './notification.scheduler';
import { NotificationsRepository } from './notifications.repository';
import { OutboxApiController } from './outbox.api.controller';
import { OutboxPagesController } from './outbox.pages.controller';
import { OutboxService } from './outbox.service';
import { OutboxWorker } from './outbox.worker';

@Module({
  imports: [
    AuditModule,
    AuthModule,
    BookingsRepositoryModule,
    CalendarModule,
    PortalLinksModule,
    SchedulingModule,
  ],
  controllers: [OutboxApiController, OutboxPagesController],
  providers: [
    EmailTemplates,
    MailerService,
    MailRetention,
    OutboxService,
    OutboxWorker,
    EmailNotifications,
    NotificationScheduler,
    NotificationsRepository,
  ],
  exports: [EmailNotifications, OutboxService, OutboxWorker, NotificationScheduler],
})
export class NotificationsModule {}
