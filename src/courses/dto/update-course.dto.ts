import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { PlainName, SingleLine, Trim, UnlessLeftOut } from '../../common/validators';

/** Changes a course; what is left out stays as it is. */
export class UpdateCourseDto {
  @UnlessLeftOut()
  @Trim()
  @IsString()
  @Length(1, 200)
  @PlainName()
  title?: string;

  @UnlessLeftOut()
  @IsInt({ message: 'capacity must be a whole number' })
  @Min(1, { message: 'capacity must be at least 1' })
  @Max(500)
  capacity?: number;

  /** The default location of a new session of the course. */
  @UnlessLeftOut()
  @Trim()
  @IsString()
  @Length(1, 200)
  @SingleLine()
  location?: string;
}
