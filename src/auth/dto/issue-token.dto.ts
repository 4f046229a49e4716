import { IsString, MaxLength, MinLength } from 'class-validator';
import { NormaliseEmail, SingleLine } from '../../common/validators';

export class IssueTokenDto {
  @NormaliseEmail()
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  @SingleLine()
  email: string;

  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password: string;
}
