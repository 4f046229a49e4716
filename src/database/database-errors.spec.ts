import { QueryFailedError, TypeORMError } from 'typeorm';
import { isDatabaseUnavailable, isRetryableConflict } from './database-errors';

const failed = (code: string, message = 'failed') =>
  new QueryFailedError('SELECT 1', [], Object.assign(new Error(message), { code }));

describe('database errors', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    [
      'a server shutting down',
      failed('57P01', 'terminating connection due to administrator command'),
    ],
    ['a connection failure class 08', failed('08006')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a closed DataSource', new TypeORMError('Driver not Connected')],
  ])('should take %s for an unreachable database', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', failed('23505')],
    ['a deadlock', failed('40P01')],
    ['a bug', new TypeError('x is undefined')],
  ])('should not take %s for an unreachable database', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('should retry deadlocks and serialization failures only', () => {
    expect(isRetryableConflict(failed('40P01'))).toBe(true);
    expect(isRetryableConflict(failed('40001'))).toBe(true);
    expect(isRetryableConflict(failed('23505'))).toBe(false);
    expect(isRetryableConflict(new Error('deadlock detected'))).toBe(false);
  });
});
