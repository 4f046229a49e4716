import { IsUUID } from 'class-validator';

export class StaffBookingDto {
  @IsUUID('all', { message: 'volunteerId must be a UUID' })
  volunteerId: string;
}

export class OwnBookingDto {
  @IsUUID('all', { message: 'courseId must be a UUID' })
  courseId: string;
}
