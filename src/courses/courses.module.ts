import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ReadinessModule } from '../readiness/readiness.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { AttendanceRepository } from './attendance.repository';
import { AttendanceService } from './attendance.service';
import { BookingsRepositoryModule } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { CoursesApiController, SessionsApiController } from './courses.api.controller';
import { CoursesRepository } from './courses.repository';
import { CoursesService } from './courses.service';
import { CurriculumModule } from './curriculum.module';
import { CoursesPagesController } from './courses.pages.controller';
import { BranchesModule } from '../branches/branches.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { MaterialsModule } from '../materials/materials.module';
import { EvaluationResultsModule } from '../evaluation/evaluation-results';

@Module({
  imports: [
    AuditModule,
    AuthModule,
    BranchesModule,
    BookingsRepositoryModule,
    NotificationsModule,
    ReadinessModule,
    VolunteersModule,
    CurriculumModule,
    MaterialsModule,
    EvaluationResultsModule,
  ],
  controllers: [CoursesApiController, SessionsApiController, CoursesPagesController],
  providers: [
    CoursesService,
    CoursesRepository,
    BookingsService,
    AttendanceService,
    AttendanceRepository,
  ],
  exports: [CoursesService, CoursesRepository, BookingsService, AttendanceService],
})
export class CoursesModule {}
