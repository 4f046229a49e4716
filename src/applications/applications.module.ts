import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CoursesModule } from '../courses/courses.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { ApplicationsApiController } from './applications.api.controller';
import { ApplicationsPagesController } from './applications.pages.controller';
import { BranchesModule } from '../branches/branches.module';
import { CurriculumModule } from '../courses/curriculum.module';
import { ApplicationsService } from './applications.service';

@Module({
  imports: [
    AuditModule,
    BranchesModule,
    CoursesModule,
    CurriculumModule,
    NotificationsModule,
    VolunteersModule,
  ],
  controllers: [ApplicationsApiController, ApplicationsPagesController],
  providers: [ApplicationsService],
})
export class ApplicationsModule {}
