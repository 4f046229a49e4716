import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { BookingsRepositoryModule } from '../courses/bookings.repository';
import { NotificationsModule } from '../notifications/notifications.module';
import { ReadinessModule } from '../readiness/readiness.module';
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
  controllers: [VolunteersApiController, VolunteersPagesController],
  providers: [VolunteersService, VolunteersRepository],
  exports: [VolunteersService, VolunteersRepository],
})
export class VolunteersModule {}
