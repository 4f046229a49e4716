import { IsOptional, IsString, Length } from 'class-validator';
import { SingleLine } from '../../common/validators';

export class ListCoursesQuery {
  @IsOptional()
  @IsString()
  @Length(2, 40)
  @SingleLine()
  branch?: string;
}
