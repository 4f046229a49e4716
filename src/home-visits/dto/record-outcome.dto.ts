import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsInstant, Trim } from '../../common/validators';
import { ClosingReason } from '../../volunteers/dto/close-application.dto';
import { HOME_VISIT_OUTCOMES, type HomeVisitOutcome } from '../home-visit.entity';

export class RecordOutcomeDto {
  @IsIn(HOME_VISIT_OUTCOMES, {
    message: `outcome must be one of ${HOME_VISIT_OUTCOMES.join(', ')}`,
  })
  outcome: HomeVisitOutcome;

  /**
   * When the visit took place, e.g. `2027-03-04T17:00:00+01:00`; never in the future.
   * Default: the planned time if it has passed, else now.
   */
  @IsOptional()
  @IsInstant()
  heldAt?: string;

  /**
   * For `declined`, a short reason (the page offers a list), shown on the record's
   * closing card with `notes`. Never sent to the volunteer.
   */
  @ClosingReason()
  reason?: string;

  /** For `declined`, the reason shown on the record. */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}
