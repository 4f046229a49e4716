import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { NotFoundError } from '../common/errors';
import { UnitOfWork } from '../database/unit-of-work';
import { Volunteer } from '../volunteers/volunteer.entity';
import { type ConsentView, keepCurrentConsentText, needsConsent, toConsentView } from './consent';

/**
 * Consent on the personal page, for people imported from a branch's spreadsheet: they
 * never saw the application form's text. The version is checked at the edge (the DTO
 * accepts only the current one).
 */
@Injectable()
export class ConsentService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
  ) {}

  /**
   * Stores the consent with the time and the text version, audited. A consent already
   * given is answered as it stands, not given again: a double click or a retry of the
   * request changes nothing, and the time kept stays the first.
   */
  async giveOwn(volunteerId: string, textVersion: string, now = new Date()): Promise<ConsentView> {
    return this.uow.run(async (em) => {
      const volunteer = await em.findOne(Volunteer, {
        where: { id: volunteerId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!volunteer || volunteer.erasedAt !== null) {
        throw new NotFoundError('Volunteer');
      }
      if (!needsConsent(volunteer)) {
        return toConsentView(volunteer);
      }
      // The words agreed to are kept before the row that points at them.
      await keepCurrentConsentText(em);
      await em.update(
        Volunteer,
        { id: volunteer.id },
        { consentAt: now, consentTextVersion: textVersion },
      );
      volunteer.consentAt = now;
      volunteer.consentTextVersion = textVersion;
      await this.audit.record(em, null, {
        action: 'volunteer.consented',
        branchId: volunteer.branchId,
        volunteerId: volunteer.id,
        details: { textVersion, source: volunteer.consentSource },
      });
      return toConsentView(volunteer);
    });
  }
}
