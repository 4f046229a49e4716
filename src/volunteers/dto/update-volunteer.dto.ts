import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  NormaliseEmail,
  PlainName,
  SingleLine,
  Trim,
  UnlessLeftOut,
} from '../../common/validators';
import { AVAILABILITY, LANGUAGES } from '../volunteer-options';

const AVAILABILITY_CODES = AVAILABILITY.map((o) => o.code);
const LANGUAGE_CODES = LANGUAGES.map((o) => o.code);

/** The record's correctable facts, by the same rules as the application form; absent means unchanged. */
export class UpdateVolunteerDto {
  @UnlessLeftOut()
  @Trim()
  @IsString()
  @Length(1, 100)
  @PlainName()
  firstName?: string;

  @UnlessLeftOut()
  @Trim()
  @IsString()
  @Length(1, 100)
  @PlainName()
  lastName?: string;

  @UnlessLeftOut()
  @NormaliseEmail()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  @SingleLine()
  email?: string;

  @UnlessLeftOut()
  @Trim()
  @IsString()
  @Matches(/^\+?[0-9][0-9 ()-]{5,19}$/, {
    message: 'phone must be a phone number, e.g. +45 12 34 56 78',
  })
  phone?: string;

  @UnlessLeftOut()
  @Trim()
  @IsString()
  @Matches(/^[0-9]{4}$/, { message: 'postcode must be a Danish postcode of four digits' })
  postcode?: string;

  @UnlessLeftOut()
  @IsArray()
  @ArrayMaxSize(AVAILABILITY_CODES.length)
  @IsIn(AVAILABILITY_CODES, {
    each: true,
    message: `availability must be some of ${AVAILABILITY_CODES.join(', ')}`,
  })
  availability?: string[];

  @UnlessLeftOut()
  @IsArray()
  @ArrayMaxSize(LANGUAGE_CODES.length)
  @IsIn(LANGUAGE_CODES, {
    each: true,
    message: `languages must be some of ${LANGUAGE_CODES.join(', ')}`,
  })
  languages?: string[];
}
