import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../common/validators';
import { ATTESTATION_RESULTS, type AttestationResult } from '../attestation.entity';

export class RecordAttestationDto {
  /** When the volunteer's consent and the request went to the police, `YYYY-MM-DD`. */
  @IsOptional()
  @IsCalendarDate()
  requestedOn?: string;

  /** When the certificate arrived, `YYYY-MM-DD`; validity runs from this day. */
  @IsCalendarDate()
  receivedOn: string;

  @IsIn(ATTESTATION_RESULTS, { message: `result must be one of ${ATTESTATION_RESULTS.join(', ')}` })
  result: AttestationResult;
}
