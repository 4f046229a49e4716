import { IsString, MaxLength, MinLength } from 'class-validator';
import { NormaliseEmail } from '../../common/validators';

export class IssueTokenDto {
  @NormaliseEmail()
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password: string;
}
