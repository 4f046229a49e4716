import { Module } from '@nestjs/common';
import { AttestationsModule } from '../attestations/attestations.module';
import { AuthModule } from '../auth/auth.module';
import { BranchesModule } from '../branches/branches.module';
import { CoursesModule } from '../courses/courses.module';
import { HomeVisitsModule } from '../home-visits/home-visits.module';
import { PortalLinksModule } from '../portal/portal-links';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { SeedService } from './seed.service';

@Module({
  imports: [
    AuthModule,
    BranchesModule,
    CoursesModule,
    HomeVisitsModule,
    AttestationsModule,
    PortalLinksModule,
    VolunteersModule,
  ],
  providers: [SeedService],
  exports: [SeedService],
})
export class SeedModule {}
