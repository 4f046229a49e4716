import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PasswordResetApiController } from './password-reset.api.controller';
import { PasswordResetPagesController } from './password-reset.pages.controller';
import { PasswordResetService } from './password-reset.service';

/** Its own module because it mails (NotificationsModule already depends on AuthModule). */
@Module({
  imports: [AuditModule, AuthModule, NotificationsModule],
  controllers: [PasswordResetApiController, PasswordResetPagesController],
  providers: [PasswordResetService],
})
export class PasswordResetModule {}
