import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/validators';

/** Why an application is withdrawn: both optional, both kept on the record and in the audit. */
export class WithdrawDto {
  /** A short reason, e.g. "Flytter"; the page offers a list. */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200, {
    message: 'Begrundelsen må højst være 200 tegn. / The reason can be at most 200 characters.',
  })
  reason?: string;

  /** Anything more the coordinator wants to keep. */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000, {
    message: 'Noten må højst være 2000 tegn. / The note can be at most 2000 characters.',
  })
  note?: string;
}
