import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageOffset } from '../../common/validators';
import { OUTBOX_STATUSES, type OutboxStatus } from '../outbox-message.entity';

export class ListOutboxQuery {
  @IsOptional()
  @IsIn(OUTBOX_STATUSES, { message: `status must be one of ${OUTBOX_STATUSES.join(', ')}` })
  status: OutboxStatus = 'failed';

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @PageOffset()
  offset: number = 0;
}
