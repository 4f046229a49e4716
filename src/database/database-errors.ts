import {
  CannotExecuteNotConnectedError,
  CannotGetEntityManagerNotConnectedError,
  ConnectionIsNotSetError,
} from 'typeorm';

const codeOf = (error: unknown): unknown =>
  (error as { driverError?: { code?: unknown } } | null)?.driverError?.code ??
  (error as { code?: unknown } | null)?.code;

const messageOf = (error: unknown): string => {
  if (!(error instanceof Error)) {
    return '';
  }
  const driverMessage = (error as { driverError?: { message?: unknown } }).driverError?.message;
  return typeof driverMessage === 'string' ? `${error.message} ${driverMessage}` : error.message;
};

/** PostgreSQL's answers that mean "run the whole transaction again". */
const RETRYABLE_CODES = new Set([
  '40P01', // deadlock_detected
  '40001', // serialization_failure
]);

export function isRetryableConflict(error: unknown): boolean {
  const code = codeOf(error);
  return typeof code === 'string' && RETRYABLE_CODES.has(code);
}

/** Network errors reaching the server, and the server refusing or ending connections. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/**
 * Whether the database could not be reached at all (as opposed to refusing a query):
 * the request may succeed later, so it is a 503, not a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (
    error instanceof ConnectionIsNotSetError ||
    error instanceof CannotExecuteNotConnectedError ||
    error instanceof CannotGetEntityManagerNotConnectedError
  ) {
    return true;
  }
  const code = codeOf(error);
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) {
    return true;
  }
  // node-postgres, its pool and TypeORM after the DataSource is gone say so only in words.
  return /Driver not Connected|Connection terminated|timeout exceeded when trying to connect|connection error|Connection is not established|PGlite is closed/i.test(
    messageOf(error),
  );
}
