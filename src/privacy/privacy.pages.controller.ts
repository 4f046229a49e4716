import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** The staff pages of access and erasure (placeholder until the pages are built). */
@ApiExcludeController()
@Controller('staff/volunteers/:id')
export class PrivacyPagesController {}
