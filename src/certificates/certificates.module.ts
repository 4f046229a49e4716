import { Module } from '@nestjs/common';
import { PortalAccess } from '../portal/portal-access';
import { PortalLinksModule } from '../portal/portal-links';
import { PortalGuard } from '../portal/portal.guard';
import { ReadinessModule } from '../readiness/readiness.module';
import { CertificatesApiController } from './certificates.api.controller';
import { CertificatesPagesController } from './certificates.pages.controller';
import { CertificatesRepository } from './certificates.repository';
import { CertificatesService } from './certificates.service';

/** The course certificate (PDF) a volunteer who completed the course downloads. */
@Module({
  imports: [PortalLinksModule, ReadinessModule],
  controllers: [CertificatesApiController, CertificatesPagesController],
  providers: [CertificatesService, CertificatesRepository, PortalAccess, PortalGuard],
})
export class CertificatesModule {}
