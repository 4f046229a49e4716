import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { NormaliseEmail, PlainName, SingleLine, Trim } from '../../common/validators';

export class CreateApplicationDto {
  /** The chosen branch; without it the postcode picks one, else the fallback branch. */
  @IsOptional()
  @Trim()
  @IsString()
  @Length(2, 40)
  @SingleLine()
  branchCode?: string;

  @Trim()
  @IsString()
  @Length(1, 100)
  @PlainName()
  firstName: string;

  @Trim()
  @IsString()
  @Length(1, 100)
  @PlainName()
  lastName: string;

  @NormaliseEmail()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  @SingleLine()
  email: string;

  @Trim()
  @IsString()
  @Matches(/^\+?[0-9][0-9 ()-]{5,19}$/, {
    message: 'phone must be a phone number, e.g. +45 12 34 56 78',
  })
  phone: string;

  @Trim()
  @IsString()
  @Matches(/^[0-9]{4}$/, { message: 'postcode must be a Danish postcode of four digits' })
  postcode: string;

  /** Why the person wants to be a family friend. */
  @Trim()
  @IsString()
  @Length(1, 5000)
  motivation: string;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(5000)
  experience?: string;

  /** When the person can visit, e.g. `weekday_evening`, `weekend`. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 60, { each: true })
  @SingleLine({ each: true })
  availability?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 60, { each: true })
  @SingleLine({ each: true })
  languages?: string[];

  /** The consent to the processing of the applicant's data; must be true. */
  @Equals(true, { message: 'consent must be true: we cannot process an application without it' })
  consent: true;

  @IsOptional()
  @IsUUID('all', { message: 'courseId must be a UUID' })
  courseId?: string;

  /** The language of the emails and pages for this person (default Danish). */
  @IsOptional()
  @IsIn(['da', 'en'], { message: 'locale must be da or en' })
  locale?: 'da' | 'en';
}
