import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { Omittable } from '../../auth/dto/update-user.dto';
import { NormaliseEmail, PlainName, Trim } from '../../common/validators';

/** What an administrator may change on a branch; what is left out stays as it is. */
export class UpdateBranchDto {
  @Omittable()
  @Trim()
  @IsString()
  @Length(1, 120)
  @PlainName()
  name?: string;

  @Omittable()
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(/^[0-9]{4}$/, { each: true, message: 'each postcode must be four digits' })
  postcodes?: string[];

  /** `null` removes the address. */
  @ValidateIf((_: object, value: unknown) => value !== undefined && value !== null)
  @NormaliseEmail()
  @IsEmail({}, { message: 'contactEmail must be a valid email address' })
  @MaxLength(254)
  contactEmail?: string | null;

  @Omittable()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @Omittable()
  @IsBoolean({ message: 'fallback must be true or false' })
  fallback?: boolean;
}
