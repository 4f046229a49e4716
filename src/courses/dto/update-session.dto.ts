import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import { IsInstant, SingleLine, Trim } from '../../common/validators';

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
}
