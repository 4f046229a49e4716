import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsString } from 'class-validator';
import { CONSENT_VERSION } from '../consent';

export class GiveConsentDto {
  /**
   * The version of the consent text the person read (`data-consent-version` on the page).
   * Only the current one is accepted: agreeing to words no longer shown means nothing.
   */
  @ApiProperty({
    example: CONSENT_VERSION,
    description:
      'The version of the consent text read (`data-consent-version` on the page); only the current one (else 400)',
  })
  @IsString()
  @Equals(CONSENT_VERSION, { message: 'textVersion must be the current consent text version' })
  textVersion: string;
}
