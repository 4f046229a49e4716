import { Controller, Get, Inject, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { BranchesService } from '../branches/branches.service';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { CONSENT_TEXT, CONSENT_VERSION } from './consent';
import { privacyNoticeFacts } from './privacy-notice';

/**
 * The privacy notice: who is responsible, what Klar processes and why, how long it keeps
 * it and how a person uses their rights. Public, linked from the application form, the
 * site footer and every email. Its periods come from the settings, so it never says
 * something the retention job does not do.
 */
@ApiExcludeController()
@Controller()
export class PrivacyNoticePagesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly branches: BranchesService,
  ) {}

  @Get('privatliv')
  @Render('privacy/notice')
  async notice() {
    return {
      title: ['Privatlivspolitik', 'Privacy notice'],
      ...(await privacyNoticeFacts(this.config, this.branches)),
      consentText: CONSENT_TEXT,
      consentVersion: CONSENT_VERSION,
    };
  }
}
