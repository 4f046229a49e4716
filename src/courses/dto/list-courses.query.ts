import { IsOptional, IsString, Length } from 'class-validator';

export class ListCoursesQuery {
  @IsOptional()
  @IsString()
  @Length(2, 40)
  branch?: string;
}
