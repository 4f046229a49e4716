import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BranchesModule } from '../branches/branches.module';
import { CoursesModule } from '../courses/courses.module';
import { CurriculumModule } from '../courses/curriculum.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { PortalLinksModule } from '../portal/portal-links';
import { ApplicationsApiController } from './applications.api.controller';
import { ApplicationsPagesController } from './applications.pages.controller';
import { ApplicationsService } from './applications.service';
import { PublicRequestHandler } from './public-request.handler';
import { PublicRequestQueue } from './public-request.queue';

@Module({
  imports: [
    AuditModule,
    BranchesModule,
    CoursesModule,
    CurriculumModule,
    NotificationsModule,
    PortalLinksModule,
    VolunteersModule,
  ],
  controllers: [ApplicationsApiController, ApplicationsPagesController],
  providers: [ApplicationsService, PublicRequestHandler, PublicRequestQueue],
  exports: [PublicRequestQueue],
})
export class ApplicationsModule {}
