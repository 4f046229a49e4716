import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsNumber,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PlainName, Trim } from '../../common/validators';

export class TopicInputDto {
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'code must be a lower-case snake_case code' })
  code: string;

  /** Danish title, shown in the UI. */
  @Trim()
  @IsString()
  @Length(1, 200)
  @PlainName()
  title: string;

  @Trim()
  @IsString()
  @Length(1, 200)
  @PlainName()
  titleEn: string;

  @IsBoolean()
  mandatory: boolean;
}

export class UpdateCurriculumDto {
  @IsNumber({ maxDecimalPlaces: 2 }, { message: 'requiredHours must be a number of hours' })
  @Min(1)
  @Max(200)
  requiredHours: number;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => TopicInputDto)
  topics: TopicInputDto[];
}
