import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { BranchesModule } from '../branches/branches.module';
import { CurriculumRepositoryModule } from '../courses/curriculum.repository';
import { NotificationsModule } from '../notifications/notifications.module';
import { PortalLinksModule } from '../portal/portal-links';
import { ReadinessModule } from '../readiness/readiness.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { ImportsApiController } from './imports.api.controller';
import { ImportsPagesController } from './imports.pages.controller';
import { ImportsService } from './imports.service';
import { pageUpload } from '../common/pages/page-upload';
import { MAX_IMPORT_BYTES } from './imports.api.controller';
import { StagedImportsPurge } from './staged-imports.purge';
import { SchedulingModule } from '../scheduling/scheduled-runs';

/** A branch's spreadsheet taken in (issue 15): the API, the pages and the template. */
@Module({
  imports: [
    AuditModule,
    AuthModule,
    BranchesModule,
    CurriculumRepositoryModule,
    NotificationsModule,
    PortalLinksModule,
    ReadinessModule,
    SchedulingModule,
    VolunteersModule,
  ],
  controllers: [ImportsApiController, ImportsPagesController],
  providers: [ImportsService, StagedImportsPurge],
})
export class ImportsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(pageUpload(MAX_IMPORT_BYTES))
      .forRoutes({ path: 'staff/imports', method: RequestMethod.POST });
  }
}
