import type { FieldError } from '../common/errors';
import { STATEMENT_KEYS } from './statements';

/** Every statement scored with a whole number 1..5 and nothing else: the field errors. */
export function answerProblems(answers: Record<string, unknown>): FieldError[] {
  const problems: FieldError[] = [];
  for (const key of STATEMENT_KEYS) {
    const score = answers[key];
    if (score === undefined || score === null) {
      problems.push({
        field: `answers.${key}`,
        code: 'required',
        message: `answers.${key} must be given`,
      });
    } else if (!Number.isInteger(score) || (score as number) < 1 || (score as number) > 5) {
      problems.push({
        field: `answers.${key}`,
        code: 'outOfRange',
        message: `answers.${key} must be a whole number from 1 to 5`,
      });
    }
  }
  for (const key of Object.keys(answers)) {
    if (!STATEMENT_KEYS.includes(key)) {
      problems.push({
        field: `answers.${key}`,
        code: 'unknownField',
        message: `answers.${key} is not a statement of the evaluation`,
      });
    }
  }
  return problems;
}
