import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsUUID,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export class GridRecordDto {
  @IsUUID('all', { message: 'sessionId must be a UUID' })
  sessionId: string;

  @IsUUID('all', { message: 'volunteerId must be a UUID' })
  volunteerId: string;

  /** `null` clears the record: the volunteer is again "not registered" at the session. */
  @ValidateIf((r: GridRecordDto) => r.present !== null)
  @IsBoolean({ message: 'present must be true, false or null' })
  present: boolean | null;
}

/** Cells of the course's attendance grid, saved all or nothing. */
export class CourseAttendanceDto {
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => GridRecordDto)
  records: GridRecordDto[];
}
