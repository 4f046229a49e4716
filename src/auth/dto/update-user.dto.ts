import { IsBoolean, IsIn, IsString, Length, ValidateIf } from 'class-validator';
import { PlainName, SingleLine, Trim } from '../../common/validators';
import { ROLES, type Role, STAFF_LANGUAGES, type StaffLanguage } from '../staff-user.entity';

/** Optional, but never null: what is left out stays as it is. */
export const Omittable = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/** What a staff member may change about themselves. */
export class UpdateOwnAccountDto {
  @Omittable()
  @Trim()
  @IsString()
  @Length(1, 120)
  @PlainName()
  name?: string;

  @Omittable()
  @IsIn(STAFF_LANGUAGES, { message: `language must be one of ${STAFF_LANGUAGES.join(', ')}` })
  language?: StaffLanguage;
}

/** What an administrator may change about a user; `active: false` ends their access. */
export class UpdateUserDto extends UpdateOwnAccountDto {
  @Omittable()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  /** A coordinator's branch; an administrator belongs to none. */
  @Omittable()
  @IsString()
  @Length(2, 40)
  @SingleLine()
  branchCode?: string;

  @Omittable()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
