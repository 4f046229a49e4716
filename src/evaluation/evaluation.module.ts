import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CoursesModule } from '../courses/courses.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PortalAccess } from '../portal/portal-access';
import { PortalLinksModule } from '../portal/portal-links';
import { PortalGuard } from '../portal/portal.guard';
import { SchedulingModule } from '../scheduling/scheduled-runs';
import {
  CourseEvaluationApiController,
  MyEvaluationsApiController,
} from './evaluation.api.controller';
import { EvaluationResultsModule } from './evaluation-results';
import { EvaluationScheduler } from './evaluation.scheduler';
import { EvaluationService } from './evaluation.service';

/**
 * The course evaluation: volunteers answer once per attended course, staff see the
 * averages from a few answers on. Who answered is kept apart from what they answered.
 */
@Module({
  imports: [
    AuthModule,
    CoursesModule,
    EvaluationResultsModule,
    NotificationsModule,
    PortalLinksModule,
    SchedulingModule,
  ],
  controllers: [MyEvaluationsApiController, CourseEvaluationApiController],
  providers: [EvaluationService, EvaluationScheduler, PortalAccess, PortalGuard],
  exports: [EvaluationService],
})
export class EvaluationModule {}
