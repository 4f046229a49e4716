import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PortalAccess } from '../portal/portal-access';
import { PortalLinksModule } from '../portal/portal-links';
import { PortalGuard } from '../portal/portal.guard';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { ErasureService } from './erasure.service';
import { ExportService } from './export.service';
import { PrivacyApiController, PrivacyMeApiController } from './privacy.api.controller';
import { PrivacyMePagesController, PrivacyPagesController } from './privacy.pages.controller';

/** GDPR's rights as features: access (export), erasure, and the volunteer's own requests. */
@Module({
  imports: [AuditModule, AuthModule, NotificationsModule, PortalLinksModule, VolunteersModule],
  controllers: [
    PrivacyApiController,
    PrivacyMeApiController,
    PrivacyPagesController,
    PrivacyMePagesController,
  ],
  providers: [ErasureService, ExportService, PortalAccess, PortalGuard],
  exports: [ErasureService, ExportService],
})
export class PrivacyModule {}
