import { createHmac, timingSafeEqual } from 'node:crypto';

/** A signed download link lasts this long: the personal page is read, then clicked. */
export const SIGNED_LINK_SECONDS = 2 * 3600;

/**
 * The signature of a download link: HMAC-SHA256 over the material version, the volunteer
 * and the expiry, with the app's secret. Naming the version means a new upload needs a
 * new link; naming the volunteer means a link copied elsewhere still only opens what
 * that volunteer may see (access is checked again at download).
 */
export function signDownload(
  secret: string,
  versionId: string,
  volunteerId: string,
  expires: number,
): string {
  return createHmac('sha256', secret)
    .update(`material-download\n${versionId}\n${volunteerId}\n${expires}`)
    .digest('base64url');
}

export function validDownloadSignature(
  secret: string,
  versionId: string,
  volunteerId: string,
  expires: number,
  signature: string,
  now = Date.now(),
): boolean {
  if (!Number.isSafeInteger(expires) || expires * 1000 < now) {
    return false;
  }
  const expected = Buffer.from(signDownload(secret, versionId, volunteerId, expires));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
