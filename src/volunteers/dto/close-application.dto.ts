import { applyDecorators } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/validators';

/** The short reason a withdrawal or a decline keeps on the record ("Flytter"), at most 200 characters. */
export const ClosingReason = () =>
  applyDecorators(IsOptional(), Trim(), IsString(), MaxLength(200));

/** Why an application is withdrawn: both optional, both kept on the record and in the audit. */
export class WithdrawDto {
  /** A short reason, e.g. "Flytter"; the page offers a list. */
  @ClosingReason()
  reason?: string;

  /** Anything more the coordinator wants to keep. */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
