import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Length,
} from 'class-validator';
import { IsInstant, PlainName, SingleLine, Trim } from '../../common/validators';

/** Moves or changes a session; what is left out stays as it is. */
export class UpdateSessionDto {
  @IsOptional()
  @IsInstant()
  startsAt?: string;

  @IsOptional()
  @IsInstant()
  endsAt?: string;

  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 200)
  @SingleLine()
  location?: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @SingleLine({ each: true })
  topics?: string[];

  /**
   * Who teaches it; left out stays, null clears. Naming one trainer replaces the other
   * kind, so a session never has both a staff trainer and an external name.
   */
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 200)
  @PlainName()
  trainerName?: string | null;

  @IsOptional()
  @IsUUID('all')
  trainerUserId?: string | null;
}
