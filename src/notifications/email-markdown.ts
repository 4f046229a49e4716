import { randomBytes } from 'node:crypto';
import Handlebars from 'handlebars';
import { getDefaults, Lexer, Parser, Renderer, type Tokens } from 'marked';

/**
 * The values of one email. Each string goes into the Markdown as an opaque word (letters
 * and digits only, with a nonce per email), so Markdown sees only what the template
 * wrote; the words are swapped for the values after rendering, escaped for HTML in the
 * HTML part and as they are in the text part. A name like `[Bekræft](https://…)` or a
 * date like `4. mar. 2027` then stays text, wherever the template puts it.
 */
export class EmailValues {
  private readonly values: string[] = [];
  private readonly nonce = randomBytes(8).toString('hex');
  private readonly slot = new RegExp(`k${this.nonce}v(\\d+)k`, 'g');

  /**
   * `data` with every non-empty string stood in for. Numbers and booleans stay as they
   * are: they drive `{{#if}}` and come from Klar, not from a person. An empty string
   * stays empty so that `{{#if}}` reads it as before.
   */
  hold(data: Record<string, unknown>): Record<string, unknown> {
    return mapStrings(data, (value) => {
      const text = inlineValue(value);
      if (text === '') {
        return text;
      }
      this.values.push(text);
      return `k${this.nonce}v${this.values.length - 1}k`;
    }) as Record<string, unknown>;
  }

  /** `text` with the stand-ins replaced by their values, each passed through `encode`. */
  fill(text: string, encode: (value: string) => string = (v) => v): string {
    return text.replace(this.slot, (_, i: string) => encode(this.values[Number(i)]));
  }
}

/**
 * A value is always inline text: a line break (or another control character) in a
 * stored name would let it lay out lines of its own in the text part, and bidi
 * overrides can make a link read backwards.
 */
export function inlineValue(value: string): string {
  return value.replace(/[\u202a-\u202e\u2066-\u2069]/g, '').replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
}

/** `data` with every string passed through `map`, through arrays and plain objects. */
export function mapStrings(data: unknown, map: (value: string) => string): unknown {
  if (typeof data === 'string') {
    return map(data);
  }
  if (Array.isArray(data)) {
    return data.map((item) => mapStrings(item, map));
  }
  if (
    data !== null &&
    typeof data === 'object' &&
    Object.getPrototypeOf(data) === Object.prototype
  ) {
    return Object.fromEntries(
      Object.entries(data).map(([key, value]) => [key, mapStrings(value, map)]),
    );
  }
  return data;
}

const LINK_SCHEMES = new Set(['https:', 'http:', 'mailto:', 'webcal:']);

/** The link as a normalised absolute URL, or null unless its scheme is one a mail may link to. */
export function allowedHref(href: string): string | null {
  try {
    const url = new URL(href.trim());
    return LINK_SCHEMES.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** The escaping the pages and the mail layout already use. */
const escapeHtml = (value: string): string => Handlebars.Utils.escapeExpression(value);

/**
 * Markdown to HTML, where only links the template writes (with an allowed scheme) and
 * its own formatting become markup: raw HTML and images in a template come out as text,
 * since a mail should neither run markup nor fetch remote pictures.
 */
class HtmlRenderer extends Renderer {
  constructor(private readonly values: EmailValues) {
    super();
  }

  override link({ href, title, tokens }: Tokens.Link): string {
    const label = this.parser.parseInline(tokens);
    const url = allowedHref(this.values.fill(href));
    if (url === null) {
      return label;
    }
    const titled = title ? ` title="${escapeHtml(this.values.fill(title))}"` : '';
    return `<a href="${escapeHtml(url)}"${titled}>${label}</a>`;
  }

  override image({ text }: Tokens.Image): string {
    return escapeHtml(text);
  }

  override html({ text }: Tokens.HTML | Tokens.Tag): string {
    return escapeHtml(text);
  }
}

/**
 * Markdown to plain text that reads as a letter: emphasis and heading marks dropped, a
 * link as its address (or its words, a colon and the address), lists kept as `-` lines.
 */
class TextRenderer extends Renderer {
  constructor(private readonly values: EmailValues) {
    super();
  }

  override space(): string {
    return '';
  }

  override code({ text }: Tokens.Code): string {
    return `${text}\n\n`;
  }

  override blockquote({ tokens }: Tokens.Blockquote): string {
    const inner = this.parser.parse(tokens).trim();
    return `${inner.replace(/^/gm, '> ')}\n\n`;
  }

  override html({ text }: Tokens.HTML | Tokens.Tag): string {
    return text;
  }

  override def(): string {
    return '';
  }

  override heading({ tokens }: Tokens.Heading): string {
    return `${this.parser.parseInline(tokens)}\n\n`;
  }

  override hr(): string {
    return '---\n\n';
  }

  override list(token: Tokens.List): string {
    const start = typeof token.start === 'number' ? token.start : 1;
    const lines = token.items.map((item, i) => {
      const marker = token.ordered ? `${start + i}. ` : '- ';
      const body = this.listitem(item)
        .trim()
        .replace(/\n/g, `\n${' '.repeat(marker.length)}`);
      return marker + body;
    });
    return `${lines.join('\n')}\n\n`;
  }

  override listitem(item: Tokens.ListItem): string {
    const checkbox = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
    return checkbox + this.parser.parse(item.tokens);
  }

  override checkbox(): string {
    return '';
  }

  override paragraph({ tokens }: Tokens.Paragraph): string {
    return `${this.parser.parseInline(tokens)}\n\n`;
  }

  override table(token: Tokens.Table): string {
    const row = (cells: Tokens.TableCell[]) =>
      cells.map((cell) => this.parser.parseInline(cell.tokens)).join(' | ');
    return `${[row(token.header), ...token.rows.map(row)].join('\n')}\n\n`;
  }

  override strong({ tokens }: Tokens.Strong): string {
    return this.parser.parseInline(tokens);
  }

  override em({ tokens }: Tokens.Em): string {
    return this.parser.parseInline(tokens);
  }

  override codespan({ text }: Tokens.Codespan): string {
    return text;
  }

  override br(): string {
    return '\n';
  }

  override del({ tokens }: Tokens.Del): string {
    return this.parser.parseInline(tokens);
  }

  override link({ href, tokens }: Tokens.Link): string {
    const label = this.parser.parseInline(tokens);
    const url = allowedHref(this.values.fill(href));
    if (url === null) {
      return label;
    }
    // `[https://…](https://…)` reads as the address alone, other words as `words: address`:
    // mail programs make the bare address clickable, and brackets around it can end up
    // inside the link some of them make of it.
    if (allowedHref(this.values.fill(label)) === url) {
      return url;
    }
    return `${label}: ${url.startsWith('mailto:') ? url.slice('mailto:'.length) : url}`;
  }

  override image({ text }: Tokens.Image): string {
    return text;
  }

  override text(token: Tokens.Text | Tokens.Escape): string {
    return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : token.text;
  }
}

/** How every template has always been read: GitHub Markdown, a line break kept as one. */
const OPTIONS = { ...getDefaults(), gfm: true, breaks: true, async: false };

/**
 * The two parts of an email from its Markdown: HTML with the values escaped into it
 * after rendering, and plain text with the values as they are.
 */
export function renderMarkdownEmail(
  markdown: string,
  values: EmailValues,
): { html: string; text: string } {
  const tokens = Lexer.lex(markdown, OPTIONS);
  const html = new Parser({ ...OPTIONS, renderer: new HtmlRenderer(values) }).parse(tokens);
  const text = new Parser({ ...OPTIONS, renderer: new TextRenderer(values) }).parse(tokens);
  return {
    html: values.fill(html, escapeHtml),
    text: `${values
      .fill(text)
      .replace(/\n{3,}/g, '\n\n')
      .trim()}\n`,
  };
}
