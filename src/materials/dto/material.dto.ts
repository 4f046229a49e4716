import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { SingleLine, Trim, UnlessLeftOut } from '../../common/validators';

/**
 * Multipart and form fields arrive as text: "true"/"on" (a checked box) and "false" are
 * read as yes or no, anything else is left for IsBoolean to refuse.
 */
const YesOrNo = () =>
  Transform(({ value }: { value: unknown }) => {
    if (value === 'true' || value === 'on') {
      return true;
    }
    if (value === 'false' || value === '') {
      return false;
    }
    return value;
  });

/** Fields of a new material; the file itself comes beside them (multer), not in the body. */
export class CreateMaterialDto {
  @Trim()
  @IsString({ message: 'title must be text' })
  @Length(1, 200, { message: 'title must be 1 to 200 characters' })
  @SingleLine()
  title: string;

  /** A curriculum topic's code: a national material (administrators). */
  @IsOptional()
  @IsString({ message: 'topic must be a topic code' })
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'topic must be a topic code' })
  topic?: string;

  /** One session of a course: a material of the session (its branch). */
  @IsOptional()
  @IsUUID('all', { message: 'sessionId must be a UUID' })
  sessionId?: string;

  /** A link instead of a file: http(s) only. */
  @IsOptional()
  @Trim()
  @IsString({ message: 'url must be a link' })
  @MaxLength(2000, { message: 'url must be at most 2000 characters' })
  @Matches(/^https?:\/\/[^\s/?#]+[^\s]*$/i, { message: 'url must be an http(s) link' })
  url?: string;

  @IsOptional()
  @YesOrNo()
  @IsBoolean({ message: 'requiresConfirmation must be true or false' })
  requiresConfirmation?: boolean;
}

/** Renames a material or changes whether reading it is confirmed; what is left out stays. */
export class UpdateMaterialDto {
  @UnlessLeftOut()
  @Trim()
  @IsString({ message: 'title must be text' })
  @Length(1, 200, { message: 'title must be 1 to 200 characters' })
  @SingleLine()
  title?: string;

  @UnlessLeftOut()
  @YesOrNo()
  @IsBoolean({ message: 'requiresConfirmation must be true or false' })
  requiresConfirmation?: boolean;
}

export class MaterialsQuery {
  @IsOptional()
  @IsString({ message: 'topic must be a topic code' })
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'topic must be a topic code' })
  topic?: string;

  @IsOptional()
  @IsUUID('all', { message: 'sessionId must be a UUID' })
  sessionId?: string;
}

/** The query of a signed download link (see materials.signing.ts). */
export class SignedLinkQuery {
  @IsOptional()
  @IsUUID('all', { message: 'volunteer must be a UUID' })
  volunteer?: string;

  @IsOptional()
  @Matches(/^\d{1,12}$/, { message: 'expires must be a time' })
  expires?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'sig must be a signature' })
  sig?: string;
}
