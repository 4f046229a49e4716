import { isIP, isIPv4 } from 'node:net';

/** What Express's `trust proxy` is set to: a hop count, or the proxies' addresses. */
export type TrustProxy = number | string[] | false;

/** Express's (proxy-addr's) names for whole ranges. */
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const MAX_HOPS = 10;

/**
 * TRUST_PROXY as Express takes it: empty for none (X-Forwarded-* ignored, req.ip is the
 * peer), a number of proxy hops in front of the app, or a comma-separated list of proxy
 * addresses, subnets (`10.0.0.0/8`, `10.0.0.0/255.0.0.0`) and range names (`loopback`).
 * `true` (trust every hop) is refused: then any client could choose its own address and
 * walk past the rate limits. Undefined means the value is not valid.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy | undefined {
  const text = value?.trim() ?? '';
  if (text === '') {
    return false;
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= MAX_HOPS ? hops || false : undefined;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  return entries.every(isProxyEntry) ? entries : undefined;
}

function isProxyEntry(entry: string): boolean {
  if (RANGE_NAMES.includes(entry)) {
    return true;
  }
  const [address, mask, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) {
    return false;
  }
  if (mask === undefined) {
    return true;
  }
  if (/^\d+$/.test(mask)) {
    return Number(mask) <= (version === 4 ? 32 : 128);
  }
  return version === 4 && isIPv4(mask);
}

export const TRUST_PROXY_FORMAT =
  'a number of proxy hops (0-10) or comma-separated proxy addresses, subnets (10.0.0.0/8) or loopback, linklocal, uniquelocal';
