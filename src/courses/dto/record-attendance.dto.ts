import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsUUID,
  ValidateNested,
} from 'class-validator';

export class AttendanceRecordDto {
  @IsUUID('all', { message: 'volunteerId must be a UUID' })
  volunteerId: string;

  @IsBoolean({ message: 'present must be true or false' })
  present: boolean;
}

export class RecordAttendanceDto {
  @IsArray()
  @ArrayMinSize(1, { message: 'records must hold at least one volunteer' })
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => AttendanceRecordDto)
  records: AttendanceRecordDto[];
}
