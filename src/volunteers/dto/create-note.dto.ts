import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { Trim } from '../../common/validators';
import { NOTE_TOPICS, type NoteTopic } from '../volunteer-note.entity';

export class CreateNoteDto {
  @Trim()
  @IsString()
  @Length(1, 2000, { message: 'text must be 1 to 2000 characters' })
  text: string;

  @IsOptional()
  @IsIn(NOTE_TOPICS, { message: `topic must be one of ${NOTE_TOPICS.join(', ')}` })
  topic?: NoteTopic;
}
