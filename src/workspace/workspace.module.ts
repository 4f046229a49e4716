import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CoursesModule } from '../courses/courses.module';
import { CurriculumModule } from '../courses/curriculum.module';
import { RequirementsModule } from '../requirements/requirements.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { WorkspacePagesController } from './workspace.pages.controller';
import { WorkspaceRepository } from './workspace.repository';

/**
 * The coordinator's workspace pages that draw on several modules: the dashboard and a
 * volunteer's page (readiness, visits, certificates, courses). Their forms post to the
 * page controllers of the modules that own each change.
 */
@Module({
  imports: [
    AuthModule,
    CoursesModule,
    CurriculumModule,
    PrivacyModule,
    RequirementsModule,
    VolunteersModule,
  ],
  controllers: [WorkspacePagesController],
  providers: [WorkspaceRepository],
})
export class WorkspaceModule {}
