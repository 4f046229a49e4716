import type { BranchesService } from '../branches/branches.service';
import type { AppConfig } from '../config/env';

/**
 * What the privacy notice says, from the settings (so it never says something the
 * retention job does not do): for the public notice and for the consent page an imported
 * person sees first (views/partials/privacyNotice.hbs).
 */
export async function privacyNoticeFacts(config: AppConfig, branches: BranchesService) {
  const active = await branches.listActive();
  return {
    organisationName: config.organisationName,
    contactEmail: config.privacyContactEmail ?? null,
    branches: active.map((b) => ({ name: b.name, contactEmail: b.contactEmail })),
    retentionClosedMonths: config.retentionClosedMonths,
    mailBodyRetentionDays: config.mailBodyRetentionDays,
    attestationValidMonths: config.attestationValidMonths,
    portalLinkIdleDays: config.portalLinkIdleDays,
  };
}
