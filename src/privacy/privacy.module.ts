import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { BranchesModule } from '../branches/branches.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PortalAccess } from '../portal/portal-access';
import { PortalLinksModule } from '../portal/portal-links';
import { PortalGuard } from '../portal/portal.guard';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { ConsentTextKeeper } from './consent-text.keeper';
import { ConsentService } from './consent.service';
import { ErasureService } from './erasure.service';
import { ExportService } from './export.service';
import { PrivacyApiController, PrivacyMeApiController } from './privacy.api.controller';
import { PrivacyNoticePagesController } from './privacy-notice.pages.controller';
import { PrivacyMePagesController, PrivacyPagesController } from './privacy.pages.controller';
import { RetentionScheduler } from './retention.scheduler';
import { SchedulingModule } from '../scheduling/scheduled-runs';

/**
 * Issue 14, GDPR's duties as features: the privacy notice and the versions of the consent
 * text; access (export), erasure, and the volunteer's own requests.
 */
@Module({
  imports: [
    AuditModule,
    AuthModule,
    BranchesModule,
    NotificationsModule,
    PortalLinksModule,
    SchedulingModule,
    VolunteersModule,
  ],
  controllers: [
    PrivacyNoticePagesController,
    PrivacyApiController,
    PrivacyMeApiController,
    PrivacyPagesController,
    PrivacyMePagesController,
  ],
  providers: [
    ConsentService,
    ConsentTextKeeper,
    ErasureService,
    ExportService,
    PortalAccess,
    PortalGuard,
    RetentionScheduler,
  ],
  exports: [ErasureService, ExportService],
})
export class PrivacyModule {}
