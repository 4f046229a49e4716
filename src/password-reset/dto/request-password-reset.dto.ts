import { IsEmail, MaxLength } from 'class-validator';
import { NormaliseEmail } from '../../common/validators';

export class RequestPasswordResetDto {
  @NormaliseEmail()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;
}
