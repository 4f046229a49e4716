import { IsBoolean, IsOptional, IsUUID } from 'class-validator';

export class StaffBookingDto {
  @IsUUID('all', { message: 'volunteerId must be a UUID' })
  volunteerId: string;

  /**
   * `true` confirms a seat for someone who already has one on another course of the
   * branch that has not ended (without it, that is a 409).
   */
  @IsOptional()
  @IsBoolean({ message: 'second must be true or false' })
  second?: boolean;
}

export class OwnBookingDto {
  @IsUUID('all', { message: 'courseId must be a UUID' })
  courseId: string;
}
