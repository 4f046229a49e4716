import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/validators';
import { HOME_VISIT_OUTCOMES, type HomeVisitOutcome } from '../home-visit.entity';

export class RecordOutcomeDto {
  @IsIn(HOME_VISIT_OUTCOMES, {
    message: `outcome must be one of ${HOME_VISIT_OUTCOMES.join(', ')}`,
  })
  outcome: HomeVisitOutcome;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}
