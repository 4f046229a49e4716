import type { FieldError } from '../common/errors';

/** When a visit was held, and what is wrong with the time given; pure, tested without a database. */

export interface HeldAtInput {
  scheduledAt: Date;
  /** The time given by the coordinator, if any. */
  heldAt?: Date;
  now: Date;
  /**
   * Whether the coordinator said yes to "has the visit already taken place?". The page
   * asks before an outcome of a visit planned for later; the API does not ask.
   */
  confirmedHeldEarly: boolean;
}

export type HeldAtDecision =
  { heldAt: Date; problems: [] } | { heldAt: null; problems: FieldError[] };

export const HELD_EARLY_QUESTION =
  'Er besøget allerede holdt? Besøget er aftalt til senere; sæt kryds, hvis det er holdt, og angiv hvornår. / Has the visit already taken place? It is planned for later; tick the box if it has, and say when.';

/**
 * The time an outcome records as the visit's: the one given, else the planned time once
 * it has passed, else now (the visit was held earlier than planned). Never in the future.
 */
export function decideHeldAt(input: HeldAtInput): HeldAtDecision {
  const { scheduledAt, heldAt, now } = input;
  const problems: FieldError[] = [];
  if (scheduledAt > now && !input.confirmedHeldEarly) {
    problems.push({ field: 'held', code: 'confirmHeldEarly', message: HELD_EARLY_QUESTION });
  }
  if (heldAt && heldAt > now) {
    problems.push({
      field: 'heldAt',
      code: 'inFuture',
      message:
        'Tidspunktet for besøget kan ikke ligge i fremtiden. / The time of the visit cannot be in the future.',
    });
  }
  if (problems.length > 0) {
    return { heldAt: null, problems };
  }
  return { heldAt: heldAt ?? (scheduledAt <= now ? scheduledAt : now), problems: [] };
}

/** A visit planned for a time gone by is being recorded after the fact: nobody is invited. */
export const isAfterTheFact = (scheduledAt: Date, now: Date): boolean => scheduledAt <= now;

/** A visit can be moved to a time to come only; moving it into the past would be recording one. */
export function newTimeProblems(scheduledAt: Date, now: Date): FieldError[] {
  return scheduledAt <= now
    ? [
        {
          field: 'scheduledAt',
          code: 'notInFuture',
          message:
            'Det nye tidspunkt skal ligge i fremtiden. / The new time must be in the future.',
        },
      ]
    : [];
}
