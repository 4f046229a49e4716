import type { FieldError } from './errors';
import type { Lang } from './pages/web';
import { MAX_OFFSET } from './validators';

/** Danish first, then English: the order of `{{t "da" "en"}}` in the views. */
export type Bilingual = readonly [da: string, en: string];

/**
 * The small set of problems a field can have. class-validator's constraint names map to
 * these (CONSTRAINT_CODES); rules in services use them or a code of their own with a
 * catalog text. The API returns the code beside the message, so a client can react to
 * it without parsing text.
 */
export type FieldProblem =
  | 'required'
  | 'tooShort'
  | 'tooLong'
  | 'tooSmall'
  | 'tooLarge'
  | 'tooFew'
  | 'tooMany'
  | 'notWholeNumber'
  | 'notNumber'
  | 'invalidEmail'
  | 'invalidFormat'
  | 'notAnOption'
  | 'invalidDate'
  | 'dateTooEarly'
  | 'invalidDateTime'
  | 'dateTimeOutOfRange'
  | 'notSingleLine'
  | 'directionControls'
  | 'invalidId'
  | 'notAList'
  | 'notYesOrNo'
  | 'unknownField'
  | 'outOfRange'
  | 'invalidCharacter'
  | 'invalid';

/** A label, and texts for the problems where the generic sentence reads badly. */
export interface FieldText {
  label: Bilingual;
  /** Per code (a FieldProblem or a rule's own code); `{min}`/`{max}` are filled in. */
  says?: Partial<Record<string, Bilingual>>;
  /**
   * For staff, where `says` speaks to the person themselves: a coordinator correcting a
   * volunteer's record enters "the first name", not "your first name".
   */
  staffSays?: Partial<Record<string, Bilingual>>;
}

/** Who reads the message: the person the form is about, or staff working on a record. */
export type Audience = 'person' | 'staff';

/**
 * Every field a person can get a message about, by its name (the last segment of a
 * path: `sessions.0.startsAt` is `startsAt`). A new DTO field needs one entry here:
 * field-messages.spec.ts fails on any DTO property without one.
 */
export const FIELD_TEXTS: Record<string, FieldText> = {
  // The application form and the volunteer record.
  firstName: {
    label: ['Fornavn', 'First name'],
    says: { required: ['Skriv dit fornavn', 'Enter your first name'] },
    staffSays: { required: ['Skriv fornavnet', 'Enter the first name'] },
  },
  lastName: {
    label: ['Efternavn', 'Last name'],
    says: { required: ['Skriv dit efternavn', 'Enter your last name'] },
    staffSays: { required: ['Skriv efternavnet', 'Enter the last name'] },
  },
  email: {
    label: ['E-mail', 'Email'],
    says: {
      required: ['Skriv en e-mailadresse', 'Enter an email address'],
      volunteerEmailTaken: [
        'En anden aktiv frivillig bruger denne e-mailadresse',
        'Another active volunteer uses this email address',
      ],
    },
  },
  phone: {
    label: ['Telefon', 'Phone'],
    says: {
      required: ['Skriv et telefonnummer', 'Enter a phone number'],
      invalidFormat: [
        'Skriv et telefonnummer, fx +45 12 34 56 78',
        'Enter a phone number, e.g. +45 12 34 56 78',
      ],
    },
  },
  postcode: {
    label: ['Postnummer', 'Postcode'],
    says: {
      required: ['Skriv dit postnummer', 'Enter your postcode'],
      invalidFormat: ['Postnummeret skal være fire cifre', 'The postcode must be four digits'],
      noBranchForPostcode: [
        'Ingen lokalafdeling dækker dit postnummer. Vælg en lokalafdeling på listen',
        'No branch covers your postcode. Choose a branch from the list',
      ],
    },
    staffSays: { required: ['Skriv postnummeret', 'Enter the postcode'] },
  },
  branchCode: {
    label: ['Lokalafdeling', 'Branch'],
    says: {
      required: ['Vælg en lokalafdeling', 'Choose a branch'],
      unknownBranch: ['Vælg en lokalafdeling fra listen', 'Choose a branch from the list'],
      coordinatorNeedsBranch: [
        'Vælg koordinatorens lokalafdeling',
        "Choose the coordinator's branch",
      ],
      adminHasNoBranch: [
        'En administrator hører ikke til en lokalafdeling; vælg ingen',
        'An administrator belongs to no branch; choose none',
      ],
      inactiveBranch: [
        'Lokalafdelingen er deaktiveret og kan ikke importere',
        'The branch is deactivated and cannot import',
      ],
    },
  },
  motivation: {
    label: ['Hvorfor vil du være familieven?', 'Why do you want to be a family friend?'],
    says: {
      required: [
        'Skriv, hvorfor du vil være familieven',
        'Write why you want to be a family friend',
      ],
      tooLong: [
        'Din begrundelse må højst have {max} tegn',
        'Your reason may have at most {max} characters',
      ],
    },
  },
  experience: {
    label: ['Erfaring med børn og familier', 'Experience with children and families'],
    says: {
      tooLong: [
        'Beskrivelsen af din erfaring må højst have {max} tegn',
        'The description of your experience may have at most {max} characters',
      ],
    },
  },
  availability: { label: ['Hvornår du kan besøge', 'When you can visit'] },
  languages: { label: ['Sprog', 'Languages'] },
  consent: {
    label: ['Samtykke', 'Consent'],
    says: {
      required: [
        'Sæt kryds for at give samtykke; uden det kan vi ikke behandle din ansøgning',
        'Tick the box to give consent; without it we cannot process your application',
      ],
      invalid: [
        'Sæt kryds for at give samtykke; uden det kan vi ikke behandle din ansøgning',
        'Tick the box to give consent; without it we cannot process your application',
      ],
    },
  },
  textVersion: {
    label: ['Samtykketekst', 'Consent text'],
    says: {
      required: [
        'Siden mangler samtykketekstens version; genindlæs siden og prøv igen',
        'The page is missing the consent text version; reload the page and try again',
      ],
      invalid: [
        'Samtykketeksten er ændret; læs den nye tekst herover og giv dit samtykke igen',
        'The consent text has changed; read the new text above and consent again',
      ],
    },
  },
  courseId: {
    label: ['Kursus', 'Course'],
    says: {
      required: ['Vælg et kursus', 'Choose a course'],
      invalidId: ['Vælg et kursus fra listen', 'Choose a course from the list'],
    },
  },
  locale: {
    label: ['Sprog', 'Language'],
    says: { notAnOption: ['Vælg dansk eller engelsk', 'Choose Danish or English'] },
  },

  // Sign-in, passwords and accounts.
  password: {
    label: ['Adgangskode', 'Password'],
    says: {
      required: ['Skriv en adgangskode', 'Enter a password'],
      tooShort: [
        'Adgangskoden skal have mindst {min} tegn',
        'The password must be at least {min} characters',
      ],
    },
  },
  currentPassword: {
    label: ['Nuværende adgangskode', 'Current password'],
    says: {
      required: ['Skriv din nuværende adgangskode', 'Enter your current password'],
      wrongPassword: ['Det er ikke din nuværende adgangskode', 'That is not your current password'],
    },
  },
  newPassword: {
    label: ['Ny adgangskode', 'New password'],
    says: {
      required: ['Skriv en ny adgangskode', 'Enter a new password'],
      tooShort: [
        'Den nye adgangskode skal have mindst {min} tegn',
        'The new password must be at least {min} characters',
      ],
    },
  },
  name: {
    label: ['Navn', 'Name'],
    says: { required: ['Skriv et navn', 'Enter a name'] },
  },
  role: { label: ['Rolle', 'Role'], says: { required: ['Vælg en rolle', 'Choose a role'] } },
  language: {
    label: ['Sprog', 'Language'],
    says: {
      required: ['Vælg dansk eller engelsk', 'Choose Danish or English'],
      notAnOption: ['Vælg dansk eller engelsk', 'Choose Danish or English'],
    },
  },
  active: {
    label: ['Aktiv', 'Active'],
    says: {
      inactiveFallback: [
        'En deaktiveret lokalafdeling kan ikke modtage ansøgninger fra andre postnumre',
        'A deactivated branch cannot receive applications from other postcodes',
      ],
    },
  },
  contactEmail: {
    label: ['Kontaktadresse', 'Contact address'],
    says: {
      invalidEmail: [
        'Skriv en gyldig e-mailadresse, fx kontakt@eksempel.dk, eller lad feltet stå tomt',
        'Enter a valid email address, e.g. contact@example.dk, or leave the field empty',
      ],
    },
  },
  fallback: {
    label: ['Modtager øvrige postnumre', 'Receives other postcodes'],
    says: {
      inactiveFallback: [
        'En deaktiveret lokalafdeling kan ikke modtage ansøgninger fra andre postnumre',
        'A deactivated branch cannot receive applications from other postcodes',
      ],
    },
  },

  // Branches.
  code: {
    label: ['Kode', 'Code'],
    says: {
      required: ['Skriv en kode', 'Enter a code'],
      invalidFormat: [
        'Koden må kun have små bogstaver (a-z), tal og enkelte bindestreger, fx nord-fyn',
        'The code may only have lower-case letters (a-z), digits and single hyphens, e.g. nord-fyn',
      ],
    },
  },
  postcodes: {
    label: ['Postnumre', 'Postcodes'],
    says: {
      invalidFormat: [
        'Hvert postnummer skal være fire cifre, adskilt af mellemrum eller komma',
        'Each postcode must be four digits, separated by spaces or commas',
      ],
    },
  },

  // Home visits and certificates.
  scheduledAt: {
    label: ['Tidspunkt for besøget', 'Time of the visit'],
    says: {
      required: ['Angiv dato og klokkeslæt for besøget', 'Enter the date and time of the visit'],
      invalidDateTime: [
        'Angiv dato og klokkeslæt for besøget',
        'Enter the date and time of the visit',
      ],
    },
  },
  outcome: {
    label: ['Udfald', 'Outcome'],
    says: {
      required: ['Vælg besøgets udfald', 'Choose the outcome of the visit'],
      notAnOption: ['Vælg besøgets udfald', 'Choose the outcome of the visit'],
    },
  },
  heldAt: {
    label: ['Hvornår besøget blev holdt', 'When the visit took place'],
    says: {
      invalidDateTime: [
        'Angiv dato og klokkeslæt for, hvornår besøget blev holdt',
        'Enter the date and time the visit took place',
      ],
    },
  },
  held: { label: ['Besøget er holdt', 'The visit has taken place'] },
  notes: { label: ['Noter', 'Notes'] },
  requestedOn: {
    label: ['Anmodet den', 'Requested on'],
    says: {
      afterReceived: [
        'Datoen for anmodningen kan ikke ligge efter modtagelsen',
        'The request date cannot be after the date received',
      ],
    },
  },
  receivedOn: {
    label: ['Modtaget den', 'Received on'],
    says: {
      required: ['Angiv datoen, attesten blev modtaget', 'Enter the date the certificate arrived'],
      inFuture: ['Datoen kan ikke ligge i fremtiden', 'The date cannot be in the future'],
    },
  },
  result: {
    label: ['Resultat', 'Result'],
    says: {
      required: ['Vælg attestens resultat', "Choose the certificate's result"],
      notAnOption: ['Vælg attestens resultat', "Choose the certificate's result"],
    },
  },

  // Extra requirements (src/requirements).
  key: {
    label: ['Nøgle', 'Key'],
    says: {
      required: ['Skriv en nøgle', 'Enter a key'],
      invalidFormat: [
        'Nøglen skal være 3-41 små bogstaver, tal eller understreg og starte med et bogstav',
        'The key must be 3-41 lower-case letters, digits or underscores, starting with a letter',
      ],
    },
  },
  nameDa: {
    label: ['Navn (dansk)', 'Name (Danish)'],
    says: { required: ['Skriv kravets danske navn', "Enter the requirement's Danish name"] },
  },
  nameEn: {
    label: ['Navn (engelsk)', 'Name (English)'],
    says: { required: ['Skriv kravets engelske navn', "Enter the requirement's English name"] },
  },
  description: { label: ['Beskrivelse', 'Description'] },
  renewMonths: {
    label: ['Fornyes efter måneder', 'Renewed after months'],
    says: {
      notWholeNumber: ['Skriv et helt antal måneder', 'Enter a whole number of months'],
      notNumber: ['Skriv et helt antal måneder', 'Enter a whole number of months'],
    },
  },
  materialId: {
    label: ['Materiale', 'Material'],
    says: {
      notConfirmable: [
        'Vælg et emnemateriale, der kræver læsebekræftelse',
        'Choose a topic material that asks for a reading confirmation',
      ],
    },
  },
  metOn: {
    label: ['Opfyldt den', 'Met on'],
    says: {
      required: ['Angiv datoen, kravet blev opfyldt', 'Enter the date the requirement was met'],
      inFuture: ['Datoen kan ikke ligge i fremtiden', 'The date cannot be in the future'],
    },
  },

  // Courses, sessions, bookings and attendance.
  title: {
    label: ['Titel', 'Title'],
    says: { required: ['Skriv en titel', 'Enter a title'] },
  },
  titleEn: {
    label: ['Engelsk titel', 'English title'],
    says: { required: ['Skriv en engelsk titel', 'Enter an English title'] },
  },
  capacity: {
    label: ['Antal pladser', 'Capacity'],
    says: { required: ['Skriv antallet af pladser', 'Enter the number of seats'] },
  },
  location: {
    label: ['Sted', 'Location'],
    says: { required: ['Skriv hvor kursusgangen holdes', 'Enter where the session is held'] },
  },
  startsAt: {
    label: ['Starter', 'Starts'],
    says: {
      required: ['Angiv hvornår kursusgangen starter', 'Enter when the session starts'],
      invalidDateTime: [
        'Angiv dato og klokkeslæt for, hvornår kursusgangen starter',
        'Enter the date and time the session starts',
      ],
    },
  },
  endsAt: {
    label: ['Slutter', 'Ends'],
    says: {
      required: ['Angiv hvornår kursusgangen slutter', 'Enter when the session ends'],
      invalidDateTime: [
        'Angiv dato og klokkeslæt for, hvornår kursusgangen slutter',
        'Enter the date and time the session ends',
      ],
    },
  },
  topics: {
    label: ['Emner', 'Topics'],
    says: {
      required: ['Vælg mindst ét emne', 'Choose at least one topic'],
      tooFew: ['Vælg mindst ét emne', 'Choose at least one topic'],
    },
  },
  sessions: {
    label: ['Kursusgange', 'Sessions'],
    says: {
      required: ['Tilføj mindst én kursusgang', 'Add at least one session'],
      tooFew: ['Tilføj mindst én kursusgang', 'Add at least one session'],
    },
  },
  trainerName: {
    label: ['Ekstern underviser', 'External trainer'],
    says: {
      required: ['Skriv underviserens navn', "Enter the trainer's name"],
      trainerTwice: [
        'Vælg en underviser fra listen eller skriv et navn, ikke begge',
        'Choose a trainer from the list or enter a name, not both',
      ],
    },
  },
  trainerUserId: {
    label: ['Underviser', 'Trainer'],
    says: {
      invalidId: ['Vælg en underviser fra listen', 'Choose a trainer from the list'],
      notATrainer: [
        'Underviseren skal være koordinator i kursets lokalafdeling eller administrator',
        "The trainer must be a coordinator of the course's branch or an administrator",
      ],
    },
  },
  alreadyHeld: { label: ['Kurset er afholdt', 'The course was held'] },
  volunteerId: {
    label: ['Frivillig', 'Volunteer'],
    says: {
      required: ['Vælg en frivillig', 'Choose a volunteer'],
      invalidId: ['Vælg en frivillig fra listen', 'Choose a volunteer from the list'],
    },
  },
  sessionId: {
    label: ['Kursusgang', 'Session'],
    says: {
      required: ['Vælg en kursusgang', 'Choose a session'],
      oneOf: [
        'Vælg enten et emne eller en kursusgang, ikke begge',
        'Choose either a topic or a session, not both',
      ],
      invalidId: ['Vælg en kursusgang fra listen', 'Choose a session from the list'],
      notOfThisCourse: [
        'Kursusgangen hører ikke til dette kursus',
        'The session is not of this course',
      ],
    },
  },
  reason: {
    label: ['Begrundelse', 'Reason'],
    says: {
      required: ['Vælg en begrundelse', 'Choose a reason'],
      notAnOption: ['Vælg en begrundelse fra listen', 'Choose a reason from the list'],
      tooLong: [
        'Begrundelsen må højst have {max} tegn',
        'The reason may have at most {max} characters',
      ],
    },
  },
  // The course evaluation: `answers.<statement>` is reported under the statement's key.
  answers: {
    label: ['Svar', 'Answers'],
    says: { required: ['Svar på alle udsagn', 'Answer every statement'] },
  },
  readyForVisits: {
    label: ['Klædt på til at besøge en familie', 'Ready to visit a family'],
    says: {
      required: ['Vælg et tal fra 1 til 5', 'Choose a number from 1 to 5'],
      outOfRange: ['Vælg et tal fra 1 til 5', 'Choose a number from 1 to 5'],
    },
  },
  knowsBoundaries: {
    label: ['Grænserne for min rolle', 'The boundaries of my role'],
    says: {
      required: ['Vælg et tal fra 1 til 5', 'Choose a number from 1 to 5'],
      outOfRange: ['Vælg et tal fra 1 til 5', 'Choose a number from 1 to 5'],
    },
  },
  knowsChildSafety: {
    label: ['Bekymring for et barn', 'Worry about a child'],
    says: {
      required: ['Vælg et tal fra 1 til 5', 'Choose a number from 1 to 5'],
      outOfRange: ['Vælg et tal fra 1 til 5', 'Choose a number from 1 to 5'],
    },
  },
  goodTeaching: {
    label: ['Undervisningen', 'The teaching'],
    says: {
      required: ['Vælg et tal fra 1 til 5', 'Choose a number from 1 to 5'],
      outOfRange: ['Vælg et tal fra 1 til 5', 'Choose a number from 1 to 5'],
    },
  },
  comment: {
    label: ['Kommentar', 'Comment'],
    says: {
      tooLong: [
        'Kommentaren må højst have {max} tegn',
        'The comment may have at most {max} characters',
      ],
    },
  },
  note: {
    label: ['Note', 'Note'],
    says: {
      tooLong: ['Noten må højst have {max} tegn', 'The note may have at most {max} characters'],
    },
  },
  second: { label: ['Plads på to kurser', 'Seats on two courses'] },
  records: {
    label: ['Fremmøde', 'Attendance'],
    says: { tooFew: ['Der er ingen at registrere fremmøde for', 'There is no one to record'] },
  },
  present: { label: ['Mødt', 'Present'] },
  requiredHours: {
    label: ['Krævede timer', 'Required hours'],
    says: { required: ['Skriv antallet af krævede timer', 'Enter the number of required hours'] },
  },
  mandatory: { label: ['Obligatorisk', 'Mandatory'] },

  // Notes.
  text: { label: ['Note', 'Note'], says: { required: ['Skriv noten', 'Write the note'] } },
  topic: { label: ['Emne', 'Topic'] },

  // Materials.
  file: {
    label: ['Fil', 'File'],
    says: {
      required: ['Vælg en fil eller skriv et link', 'Choose a file or enter a link'],
      oneOf: ['Vælg en fil eller et link, ikke begge', 'Choose a file or a link, not both'],
      notAllowedType: [
        'Filen skal være PDF, Word, PowerPoint, PNG eller JPEG',
        'The file must be PDF, Word, PowerPoint, PNG or JPEG',
      ],
      tooLarge: ['Filen må højst være 20 MB', 'The file may be at most 20 MB'],
      missingFile: ['Vælg en fil', 'Choose a file'],
      // The import (issue 15); its missingColumns keeps the rule's text, which names the columns.
      importTooLarge: ['Filen må højst være 5 MB', 'The file may be at most 5 MB'],
      unreadable: [
        'Filen kan ikke læses; gem den som CSV eller XLSX (Excel)',
        'The file cannot be read; save it as CSV or XLSX (Excel)',
      ],
      empty: ['Filen er tom', 'The file is empty'],
      uploadUnreadable: [
        'Filen kunne ikke modtages; vælg én fil og prøv igen',
        'The upload could not be read; choose one file and try again',
      ],
      tooManyRows: [
        'Filen har mere end 20.000 rækker; del den op',
        'The file has more than 20,000 rows; split it',
      ],
    },
  },
  dryRun: {
    label: ['Prøvekørsel', 'Dry run'],
    says: { notAnOption: ['Skriv true eller false', 'Write true or false'] },
  },
  sendLinks: {
    label: ['Send links', 'Send links'],
    says: { notAnOption: ['Skriv true eller false', 'Write true or false'] },
  },
  url: {
    label: ['Link', 'Link'],
    says: {
      invalidFormat: [
        'Skriv et link, der begynder med https://',
        'Enter a link starting with https://',
      ],
    },
  },
  requiresConfirmation: { label: ['Kræver bekræftelse', 'Requires confirmation'] },
  volunteer: { label: ['Frivillig', 'Volunteer'] },
  expires: { label: ['Udløb', 'Expiry'] },
  sig: { label: ['Signatur', 'Signature'] },

  // List filters and route ids (the API; no page shows these as fields).
  id: {
    label: ['Id', 'Id'],
    says: { invalidId: ['Id’et er ikke gyldigt', 'The id is not valid'] },
  },
  q: { label: ['Søgning', 'Search'] },
  branch: { label: ['Lokalafdeling', 'Branch'] },
  stage: { label: ['Fase', 'Stage'] },
  matchable: { label: ['Klar til match', 'Matchable'] },
  limit: { label: ['Antal', 'Limit'] },
  offset: {
    label: ['Fra nummer', 'Offset'],
    says: {
      outOfRange: [
        `Fra nummer skal være et helt tal fra 0 til ${MAX_OFFSET}`,
        `The offset must be a whole number from 0 to ${MAX_OFFSET}`,
      ],
    },
  },
  status: { label: ['Status', 'Status'] },
  sort: { label: ['Sortering', 'Sort'] },
  dir: { label: ['Retning', 'Direction'] },
  format: {
    label: ['Filformat', 'File format'],
    says: { notAnOption: ['Vælg CSV eller XLSX', 'Choose CSV or XLSX'] },
  },
  year: {
    label: ['År', 'Year'],
    says: {
      outOfRange: ['Året skal være fra 2000 til i år', 'The year must be from 2000 to this year'],
    },
  },
};

/**
 * The sentence for each problem when the field has no text of its own. `{Label}` opens
 * a sentence, `{label}` stands inside one (lower-cased first letter).
 */
const GENERIC: Record<FieldProblem, Bilingual> = {
  required: ['{Label} skal udfyldes', '{Label} is required'],
  tooShort: ['{Label} skal have mindst {min} tegn', '{Label} must have at least {min} characters'],
  tooLong: ['{Label} må højst have {max} tegn', '{Label} may have at most {max} characters'],
  tooSmall: ['{Label} skal være mindst {min}', '{Label} must be at least {min}'],
  tooLarge: ['{Label} må højst være {max}', '{Label} may be at most {max}'],
  tooFew: ['Vælg mindst {min} under {label}', 'Choose at least {min} under {label}'],
  tooMany: ['Vælg højst {max} under {label}', 'Choose at most {max} under {label}'],
  notWholeNumber: ['{Label} skal være et helt tal', '{Label} must be a whole number'],
  notNumber: ['{Label} skal være et tal', '{Label} must be a number'],
  invalidEmail: [
    'Skriv en gyldig e-mailadresse, fx navn@eksempel.dk',
    'Enter a valid email address, e.g. name@example.com',
  ],
  invalidFormat: ['{Label} har ikke den rigtige form', '{Label} is not in the right form'],
  notAnOption: ['Vælg en af mulighederne under {label}', 'Choose one of the options for {label}'],
  invalidDate: ['{Label} skal være en rigtig dato', '{Label} must be a real date'],
  dateTooEarly: ['{Label} kan ikke ligge før år 2000', '{Label} cannot be before the year 2000'],
  invalidDateTime: ['Angiv dato og klokkeslæt under {label}', 'Enter a date and time for {label}'],
  dateTimeOutOfRange: [
    '{Label} skal ligge mellem år 2000 og 2100',
    '{Label} must fall between the years 2000 and 2100',
  ],
  notSingleLine: [
    '{Label} skal stå på én linje uden linjeskift',
    '{Label} must be on one line, without line breaks',
  ],
  directionControls: [
    '{Label} må ikke indeholde tegn, der vender skriveretningen',
    '{Label} must not contain characters that change the writing direction',
  ],
  invalidId: ['Vælg {label} fra listen', 'Choose {label} from the list'],
  notAList: ['Vælg en eller flere under {label}', 'Choose one or more for {label}'],
  notYesOrNo: ['{Label} skal være ja eller nej', '{Label} must be yes or no'],
  // Only a client that sends more than the form has meets this; it needs the name.
  unknownField: ['Feltet {field} kendes ikke', 'The field {field} is not known'],
  outOfRange: ['{Label} er uden for det tilladte', '{Label} is out of range'],
  invalidCharacter: [
    '{Label} indeholder et tegn, der ikke kan gemmes',
    '{Label} contains a character that cannot be stored',
  ],
  invalid: ['{Label} er ikke gyldig', '{Label} is not valid'],
};

/**
 * Which problem a failed class-validator constraint is. What is not listed is `invalid`
 * (with the catalog's text, never class-validator's English).
 */
const CONSTRAINT_CODES: Record<string, FieldProblem> = {
  isString: 'invalid',
  isNotEmpty: 'required',
  isDefined: 'required',
  isLength: 'tooLong', // or tooShort: decided by the value (problemOf)
  minLength: 'tooShort',
  maxLength: 'tooLong',
  matches: 'invalidFormat',
  isEmail: 'invalidEmail',
  isIn: 'notAnOption',
  equals: 'invalid',
  isUuid: 'invalidId',
  isInt: 'notWholeNumber',
  isNumber: 'notNumber',
  min: 'tooSmall',
  max: 'tooLarge',
  isBoolean: 'notYesOrNo',
  isBooleanString: 'notYesOrNo',
  isArray: 'notAList',
  arrayMinSize: 'tooFew',
  arrayMaxSize: 'tooMany',
  isCalendarDate: 'invalidDate',
  isPlausibleDate: 'dateTooEarly',
  isInstant: 'invalidDateTime',
  isPlausibleInstant: 'dateTimeOutOfRange',
  singleLine: 'notSingleLine',
  noBidiControl: 'directionControls',
  isPageOffset: 'outOfRange',
  whitelistValidation: 'unknownField',
};

/** Emptiness a person means as "left out": nothing, blanks, or an empty list. */
export function isBlank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * The problem a failed constraint names: an empty field is `required` whatever rule
 * caught it, so a person reads "Skriv dit fornavn", not "must be at least 1 character".
 */
export function problemOf(
  constraint: string,
  value: unknown,
  params: readonly unknown[] = [],
): FieldProblem {
  if (constraint === 'whitelistValidation') {
    return 'unknownField';
  }
  if (isBlank(value) || value === false) {
    // `false` is an unticked box that must be ticked (consent) or answered.
    return constraint === 'isBoolean' ? 'notYesOrNo' : 'required';
  }
  if (constraint === 'isLength') {
    const [min] = params;
    return typeof value === 'string' && typeof min === 'number' && value.length < min
      ? 'tooShort'
      : 'tooLong';
  }
  return CONSTRAINT_CODES[constraint] ?? 'invalid';
}

/**
 * Which of several problems of one field to report: the first the person must fix
 * (there is no point in "too long" while the field also has a line break, but an empty
 * field is only "required").
 */
const PRIORITY: string[] = [
  'required',
  'unknownField',
  'notAList',
  'invalid',
  'notYesOrNo',
  'invalidId',
  'notAnOption',
  'notWholeNumber',
  'notNumber',
  'invalidDate',
  'invalidDateTime',
  'invalidEmail',
  'invalidFormat',
  'notSingleLine',
  'directionControls',
  'invalidCharacter',
  'tooShort',
  'tooLong',
  'tooSmall',
  'tooLarge',
  'tooFew',
  'tooMany',
  'outOfRange',
  'dateTooEarly',
  'dateTimeOutOfRange',
];
const rank = (code: string) => {
  const at = PRIORITY.indexOf(code);
  // A rule's own code (a service's) comes after the DTO's: it ran on valid input.
  return at === -1 ? PRIORITY.length : at;
};

/** `sessions.0.startsAt` → `startsAt`; the catalog is keyed by the field's own name. */
export const fieldName = (path: string): string => {
  const segments = path.split('.').filter((s) => !/^\d+$/.test(s));
  return segments[segments.length - 1] ?? path;
};

/**
 * A "Dansk. / English." text (the convention for rules' messages) in one language; a
 * text without the separator is returned as it is.
 */
export function readersHalf(text: string, lang: Lang): string {
  const at = text.indexOf(' / ');
  if (at === -1) {
    return text;
  }
  return lang === 'en' ? text.slice(at + 3) : text.slice(0, at);
}

const fill = (
  template: string,
  field: string,
  label: Bilingual | undefined,
  lang: Lang,
  params: number[],
) => {
  const name = label ? label[lang === 'en' ? 1 : 0] : '';
  return template
    .replace('{Label}', name)
    .replace('{label}', name.charAt(0).toLowerCase() + name.slice(1))
    .replace('{field}', field)
    .replace('{min}', String(params[0]))
    .replace('{max}', String(params[params.length - 1]));
};

/** The sentence for one problem of one field, in `lang`; `null` if the catalog has none. */
export function sentenceFor(
  field: string,
  code: string,
  lang: Lang,
  params: number[] = [],
  audience: Audience = 'person',
): string | null {
  const entry = FIELD_TEXTS[fieldName(field)];
  const own = (audience === 'staff' ? entry?.staffSays?.[code] : undefined) ?? entry?.says?.[code];
  // A generic sentence needs the label (bar unknownField, which names the field), and
  // the rule's numbers where it quotes them; without them it would read "at most ".
  const generic = entry || code === 'unknownField' ? GENERIC[code as FieldProblem] : undefined;
  const template = own ?? generic;
  if (!template) {
    return null;
  }
  const text = template[lang === 'en' ? 1 : 0];
  if (/\{(min|max)\}/.test(text) && params.length === 0) {
    return entry
      ? fill(GENERIC.invalid[lang === 'en' ? 1 : 0], field, entry.label, lang, [])
      : null;
  }
  return fill(text, fieldName(field), entry?.label, lang, params);
}

/**
 * Field errors as a person reads them: one per field (the one to fix first), each in
 * `lang`, from the catalog. A rule's own text ("Dansk. / English.") is shown in the
 * reader's half when the catalog has no sentence for its code. Field and code stay, for
 * the API's clients and the page's links.
 */
export function forReader(
  errors: FieldError[],
  lang: Lang,
  audience: Audience = 'person',
): FieldError[] {
  const first = new Map<string, FieldError>();
  for (const error of errors) {
    const seen = first.get(error.field);
    if (!seen || rank(error.code) < rank(seen.code)) {
      first.set(error.field, error);
    }
  }
  return [...first.values()].map((error) => ({
    field: error.field,
    code: error.code,
    message:
      sentenceFor(error.field, error.code, lang, error.params, audience) ??
      readersHalf(error.message, lang),
  }));
}

/** The API's language: Danish if the client asks for it first, else English. */
export function langOfAcceptLanguage(header: string | undefined): Lang {
  const first = (header ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first === 'da' || first.startsWith('da-') ? 'da' : 'en';
}
