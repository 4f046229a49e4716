/**
 * Text fit for a log line: no email address, no link with a secret, no token. Log lines
 * leave Klar (log shippers, screenshots in a support mail), so anything that names a
 * person or opens their page is blanked before it is written. Error messages from the
 * database or SMTP server can quote an address ("Key (email)=(…)", "550 <…> rejected"),
 * so free text from errors goes through here too.
 */
export function redactForLog(text: string): string {
  return text
    .replace(EMAIL, '<email>')
    .replace(URL_WITH_PATH, (url) => `${new URL(url).origin}/<link>`)
    .replace(TOKEN_PARAM, '$1=<token>')
    .replace(LONG_TOKEN, (word) => (UUID.test(word) || !/[0-9]/.test(word) ? word : '<token>'));
}

/**
 * A mail's text with every link cut to its host: a personal link, a signed download or a
 * calendar feed in a copy of a mail (an export, which leaves Klar as a file) would open
 * the person's page for whoever holds the copy.
 */
export function withoutLinks(text: string): string {
  return text.replace(URL_WITH_PATH, (url) => `${new URL(url).origin}/…`);
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** A link with anything after the host may hold a personal token: only the host stays. */
const URL_WITH_PATH = /https?:\/\/[^\s/"'<>]+\/[^\s"'<>)\]]*/g;
const TOKEN_PARAM = /\b(token|t|key|signature|sig)=[^&\s"']+/gi;
/** A run of 24+ base64url characters with a digit in it is a secret, unless it is a UUID. */
const LONG_TOKEN = /[A-Za-z0-9_-]{24,}/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
