import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { BookingsRepositoryModule } from '../courses/bookings.repository';
import { NotificationsModule } from '../notifications/notifications.module';
import { ReadinessModule } from '../readiness/readiness.module';
import { CalendarFeedsService } from './calendar-feeds.service';
import { PortalGuard } from './portal.guard';
import { PortalLinksModule } from './portal-links';
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
    PortalLinksModule,
  ],
  controllers: [VolunteersApiController, VolunteersPagesController],
  providers: [VolunteersService, VolunteersRepository, PortalGuard, CalendarFeedsService],
  exports: [
    VolunteersService,
    VolunteersRepository,
    PortalGuard,
    CalendarFeedsService,
    PortalLinksModule,
  ],
})
export class VolunteersModule {}
