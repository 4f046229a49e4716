import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { BookingsRepositoryModule } from '../courses/bookings.repository';
import { NotificationsModule } from '../notifications/notifications.module';
import { ReadinessModule } from '../readiness/readiness.module';
import { VolunteerRecordApiController } from './volunteer-record.api.controller';
import { VolunteerRecordPagesController } from './volunteer-record.pages.controller';
import { VolunteerRecordRepository } from './volunteer-record.repository';
import { VolunteerRecordService } from './volunteer-record.service';
import { VolunteersApiController } from './volunteers.api.controller';
import { VolunteersPagesController } from './volunteers.pages.controller';
import { VolunteersRepository } from './volunteers.repository';
import { VolunteersService } from './volunteers.service';

@Module({
  imports: [
    AuditModule,
    AuthModule,
    BookingsRepositoryModule,
    NotificationsModule,
    ReadinessModule,
  ],
  controllers: [
    VolunteersApiController,
    VolunteersPagesController,
    VolunteerRecordApiController,
    VolunteerRecordPagesController,
  ],
  providers: [
    VolunteersService,
    VolunteersRepository,
    VolunteerRecordService,
    VolunteerRecordRepository,
  ],
  exports: [VolunteersService, VolunteersRepository, VolunteerRecordService],
})
export class VolunteersModule {}
