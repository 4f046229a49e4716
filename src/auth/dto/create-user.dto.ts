import { IsEmail, IsIn, IsString, Length, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { NormaliseEmail, PlainName, SingleLine, Trim } from '../../common/validators';
import { MIN_PASSWORD_LENGTH } from '../passwords';
import { ROLES, type Role } from '../staff-user.entity';

export class CreateUserDto {
  @NormaliseEmail()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  @SingleLine()
  email: string;

  @Trim()
  @IsString()
  @Length(1, 120)
  @PlainName()
  name: string;

  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;

  /** Required for coordinators; an administrator belongs to no branch. */
  @ValidateIf((dto: CreateUserDto) => dto.role === 'coordinator' || dto.branchCode !== undefined)
  @IsString({ message: 'branchCode is required for a coordinator' })
  @Length(2, 40)
  @SingleLine()
  branchCode?: string;

  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, {
    message: `password must be at least ${MIN_PASSWORD_LENGTH} characters`,
  })
  @MaxLength(1024)
  password: string;
}
