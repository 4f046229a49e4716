import argon2 from 'argon2';
import { hashPassword, verifyPassword } from './passwords';

describe('password hashes', () => {
  it('should hash with argon2id at no less than OWASP minimum (19 MiB, 2 passes)', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
  });

  it('should still verify a hash made with the earlier, heavier parameters', async () => {
    const earlier = await argon2.hash('an older password', { type: argon2.argon2id });
    expect(earlier).toContain('m=65536,p=4,t=3');
    expect(await verifyPassword(earlier, 'an older password')).toBe(true);
  });
});
