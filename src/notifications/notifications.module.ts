import { Module } from '@nestjs/common';
import { EmailTemplates } from './email-templates';
import { MailerService } from './mailer.service';

@Module({ providers: [MailerService, EmailTemplates], exports: [MailerService] })
export class NotificationsModule {}
