/** The choices of the application form, stored as codes and shown in either language. */
export interface Option {
  code: string;
  da: string;
  en: string;
}

export const AVAILABILITY: Option[] = [
  { code: 'weekday_morning', da: 'Hverdage formiddag', en: 'Weekday mornings' },
  { code: 'weekday_afternoon', da: 'Hverdage eftermiddag', en: 'Weekday afternoons' },
  { code: 'weekday_evening', da: 'Hverdage aften', en: 'Weekday evenings' },
  { code: 'weekend', da: 'Weekend', en: 'Weekends' },
];

export const LANGUAGES: Option[] = [
  { code: 'da', da: 'Dansk', en: 'Danish' },
  { code: 'en', da: 'Engelsk', en: 'English' },
  { code: 'de', da: 'Tysk', en: 'German' },
  { code: 'ar', da: 'Arabisk', en: 'Arabic' },
  { code: 'fa', da: 'Persisk', en: 'Persian' },
  { code: 'pl', da: 'Polsk', en: 'Polish' },
  { code: 'so', da: 'Somali', en: 'Somali' },
  { code: 'tr', da: 'Tyrkisk', en: 'Turkish' },
  { code: 'uk', da: 'Ukrainsk', en: 'Ukrainian' },
];

/** Codes with their labels, for showing a volunteer's saved choices. */
export function labelled(codes: string[], options: Option[]): Option[] {
  return codes.map((code) => options.find((o) => o.code === code) ?? { code, da: code, en: code });
}
