import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PlainName, Trim } from '../../common/validators';

export class CreateBranchDto {
  /** Lower-case slug, e.g. `aarhus` or `nord-fyn`. */
  @Trim()
  @IsString()
  @Length(2, 40)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'code must be a lower-case slug (letters, digits and single hyphens)',
  })
  code: string;

  @Trim()
  @IsString()
  @Length(1, 120)
  @PlainName()
  name: string;

  /** Danish postcodes the branch covers, used to suggest a branch from an applicant's postcode. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(/^[0-9]{4}$/, { each: true, message: 'each postcode must be four digits' })
  postcodes?: string[];
}
