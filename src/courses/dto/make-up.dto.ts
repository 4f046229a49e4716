import { IsUUID } from 'class-validator';

/** The page's make-up form: who made up which session of this course. */
export class MakeUpDto {
  @IsUUID('all', { message: 'Vælg en frivillig. / Choose a volunteer.' })
  volunteerId: string;

  @IsUUID('all', { message: 'Vælg en kursusgang. / Choose a session.' })
  sessionId: string;
}
