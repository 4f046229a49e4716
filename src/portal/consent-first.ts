import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { needsConsent } from '../privacy/consent';
import type { Volunteer } from '../volunteers/volunteer.entity';

/**
 * Thrown by a personal page or form when the person has not consented in Klar (imported
 * from a branch's spreadsheet): ConsentFirstFilter sends the browser to the privacy
 * notice and the consent form instead (PrivacyMePagesController).
 */
export class ConsentFirst extends Error {
  constructor(readonly token: string) {
    super('Consent first');
  }
}

/** The volunteer, when they may use their personal pages; else ConsentFirst. */
export function consented(volunteer: Volunteer, token: string): Volunteer {
  if (needsConsent(volunteer)) {
    throw new ConsentFirst(token);
  }
  return volunteer;
}

/** For the personal-page controllers: ConsentFirst becomes a 303 to `/v/{token}/samtykke`. */
@Catch(ConsentFirst)
export class ConsentFirstFilter implements ExceptionFilter {
  catch(exception: ConsentFirst, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().redirect(303, `/v/${exception.token}/samtykke`);
  }
}
