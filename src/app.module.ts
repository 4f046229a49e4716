import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import type { DataSourceOptions } from 'typeorm';
import { ApplicationsModule } from './applications/applications.module';
import { AttestationsModule } from './attestations/attestations.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { CertificatesModule } from './certificates/certificates.module';
import { BranchesModule } from './branches/branches.module';
import { ErrorFilter } from './common/error.filter';
import { CsrfGuard } from './common/pages/csrf.guard';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import { LangPagesController } from './common/pages/lang.pages.controller';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/env';
import { CoursesModule } from './courses/courses.module';
import { ReportsModule } from './reports/reports.module';
import { CurriculumModule } from './courses/curriculum.module';
import { DatabaseModule } from './database/database.module';
import { UnitOfWorkModule } from './database/unit-of-work';
import { HomeVisitsModule } from './home-visits/home-visits.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PasswordResetModule } from './password-reset/password-reset.module';
import { ReadinessModule } from './readiness/readiness.module';
import { SeedModule } from './seed/seed.module';
import { VolunteersModule } from './volunteers/volunteers.module';
import { PortalModule } from './portal/portal.module';
import { MaterialsModule } from './materials/materials.module';
import { ImportsModule } from './imports/imports.module';
import { RequirementsModule } from './requirements/requirements.module';
import { EvaluationModule } from './evaluation/evaluation.module';
import { WorkspaceModule } from './workspace/workspace.module';
import { PrivacyModule } from './privacy/privacy.module';

@Module({})
export class AppModule {
  /** The whole app for one configuration and one database (the tests pass their own). */
  static create(config: AppConfig, database: DataSourceOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database),
        ScheduleModule.forRoot(),
        UnitOfWorkModule,
        RateLimitModule,
        AuditModule,
        AuthModule,
        PasswordResetModule,
        BranchesModule,
        PrivacyModule,
        CurriculumModule,
        ReadinessModule,
        NotificationsModule,
        VolunteersModule,
        PortalModule,
        CertificatesModule,
        MaterialsModule,
        ImportsModule,
        RequirementsModule,
        EvaluationModule,
        CoursesModule,
        CalendarModule,
        ApplicationsModule,
        HomeVisitsModule,
        AttestationsModule,
        SeedModule,
        WorkspaceModule,
        ReportsModule,
      ],
      controllers: [LangPagesController],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_GUARD, useClass: CsrfGuard },
      ],
    };
  }
}
