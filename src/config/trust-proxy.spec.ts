import { parseTrustProxy } from './trust-proxy';

describe(parseTrustProxy.name, () => {
  it('should trust no proxy when unset or empty', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('  ')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
  });

  it('should take a number of hops', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('2')).toBe(2);
  });

  it('should take addresses, subnets and range names', () => {
    expect(parseTrustProxy('10.0.0.5')).toEqual(['10.0.0.5']);
    expect(parseTrustProxy('loopback, 10.0.0.0/8,fd00::/8, 192.168.0.0/255.255.0.0')).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.0.0/255.255.0.0',
    ]);
  });

  it('should refuse trusting every hop, names it does not know and malformed subnets', () => {
    for (const bad of ['true', 'all', 'proxy.example', '10.0.0.0/33', '10.0.0.1/8/1', '11', '1,']) {
      expect(parseTrustProxy(bad)).toBeUndefined();
    }
  });
});
