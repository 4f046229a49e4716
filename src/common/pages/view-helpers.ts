import type hbs from 'hbs';
import { DateTime } from 'luxon';
import { formatDateTime, formatLongDay, TIME_ZONE } from '../dates';
import { readersHalf } from '../field-messages';
import type { FormState, Lang } from './web';

interface HelperOptions {
  data: { root: { lang?: Lang; formState?: FormState | null } };
  hash: Record<string, unknown>;
}

const langOf = (options: HelperOptions): Lang => options.data.root.lang ?? 'da';
/** `sessions.0.startsAt` in the kept input `{sessions: [{startsAt}]}`. */
const pathIn = (values: Record<string, unknown>, field: string): unknown =>
  field
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[key]
          : undefined,
      values,
    );

const stateFor = (form: string, options: HelperOptions) => {
  const state = options.data.root.formState;
  return state && state.form === form ? state : null;
};

/** The refused forms whose errors a page showed next to the form, for the layout to know. */
const shown = new WeakSet<FormState>();

/** The helpers every page template may use; all return plain text, which hbs escapes. */
export function registerViewHelpers(engine: typeof hbs): void {
  engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  /** A rule's "Dansk. / English." message in the reader's half, as forms show them. */
  engine.registerHelper('inReadersHalf', (text: unknown, options: HelperOptions) =>
    readersHalf(typeof text === 'string' ? text : '', langOf(options)),
  );
  /** `{{t "Ansøg" "Apply"}}`: the Danish or the English text, by the lang cookie. */
  engine.registerHelper('t', (da: string, en: string, options: HelperOptions) =>
    langOf(options) === 'en' ? en : da,
  );
  /**
   * A page's title: controllers give fixed titles as `[da, en]` and names (a person's, a
   * course's) as they are.
   */
  engine.registerHelper('pageTitle', (title: unknown, options: HelperOptions) =>
    Array.isArray(title)
      ? String(title[langOf(options) === 'en' ? 1 : 0])
      : typeof title === 'string'
        ? title
        : '',
  );
  /** Curriculum topic codes as their titles in the reader's language, joined. */
  engine.registerHelper(
    'topicTitles',
    (
      codes: unknown,
      topics: { code: string; titleDa: string; titleEn: string }[] | undefined,
      options: HelperOptions,
    ) =>
      (Array.isArray(codes) ? codes : [])
        .map((code) => {
          const topic = topics?.find((t) => t.code === code);
          return topic ? (langOf(options) === 'en' ? topic.titleEn : topic.titleDa) : String(code);
        })
        .join(', '),
  );
  engine.registerHelper('dateTime', (value: Date | string | null, options: HelperOptions) =>
    value ? formatDateTime(new Date(value), langOf(options)) : '',
  );
  /** The clock time of an instant in Copenhagen, e.g. "21.00": the end of a session. */
  engine.registerHelper('time', (value: Date | string | null, options: HelperOptions) =>
    value
      ? DateTime.fromJSDate(new Date(value))
          .setZone(TIME_ZONE)
          .setLocale(langOf(options) === 'en' ? 'en-GB' : 'da-DK')
          .toLocaleString(DateTime.TIME_24_SIMPLE)
      : '',
  );
  /** A `YYYY-MM-DD` day in the reader's language, e.g. "4. mar. 2027". */
  engine.registerHelper('day', (value: string | null, options: HelperOptions) =>
    value
      ? DateTime.fromISO(value, { zone: TIME_ZONE })
          .setLocale(langOf(options) === 'en' ? 'en-GB' : 'da-DK')
          .toLocaleString(DateTime.DATE_MED)
      : '',
  );
  /** A `YYYY-MM-DD` day written out, "23. november 2028", for days a person acts on. */
  engine.registerHelper('longDay', (value: string | null, options: HelperOptions) =>
    value ? formatLongDay(value, langOf(options)) : '',
  );
  /** The kept input of a rejected form, else the default (the saved value). */
  engine.registerHelper(
    'val',
    (form: string, field: string, fallback: unknown, options: HelperOptions) => {
      const state = stateFor(form, options);
      const value = state ? pathIn(state.values, field) : fallback;
      return typeof value === 'string' || typeof value === 'number' ? value : '';
    },
  );
  /** Whether a checkbox is ticked: in the kept input, else in the saved list or flag. */
  engine.registerHelper(
    'isChecked',
    (form: string, field: string, option: string, fallback: unknown, options: HelperOptions) => {
      const state = stateFor(form, options);
      const value = state ? pathIn(state.values, field) : fallback;
      if (Array.isArray(value)) {
        return value.includes(option);
      }
      return value === option || value === true;
    },
  );
  engine.registerHelper('err', (form: string, field: string, options: HelperOptions) => {
    const state = stateFor(form, options);
    return (
      state?.errors
        .filter((e) => e.field === field)
        .map((e) => e.message)
        .join('; ') ?? ''
    );
  });
  engine.registerHelper('formErrors', (form: string, options: HelperOptions) => {
    const state = stateFor(form, options);
    if (state) {
      shown.add(state);
    }
    return state?.errors ?? [];
  });
  /**
   * A refused form's errors that no form on the page showed: the form's section is gone
   * since (the visit was settled meanwhile, the course cancelled), and the layout, which
   * is rendered after the page, says why at the top instead of saying nothing.
   */
  engine.registerHelper('unshownFormErrors', (options: HelperOptions) => {
    const state = options.data.root.formState;
    return state && !shown.has(state) ? state.errors : [];
  });
  /** A field's element id: `f-apply-firstName`, safe for names like `sessions.0.startsAt`. */
  engine.registerHelper('fid', (form: string, field: string) =>
    `f-${form}-${field}`.replace(/[^A-Za-z0-9_-]/g, '-'),
  );
  engine.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).map(String).join(''));
  engine.registerHelper('add', (a: number, b: number) => a + b);
  // A figure in the reader's decimals (4,67 on Danish pages, 4.67 on English); text such
  // as "+3" keeps its own form but for the decimal mark; nothing is a dash.
  engine.registerHelper('num', (value: unknown, options: HelperOptions) => {
    const english = langOf(options) === 'en';
    if (typeof value === 'number' && Number.isFinite(value)) {
      return new Intl.NumberFormat(english ? 'en-GB' : 'da-DK', {
        maximumFractionDigits: 2,
      }).format(value);
    }
    if (value === null || value === undefined || value === '') {
      return '–';
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return english ? text : text.replace('.', ',');
  });
  engine.registerHelper('join', (items: unknown) =>
    Array.isArray(items) ? items.map(String).join(', ') : '',
  );
}
