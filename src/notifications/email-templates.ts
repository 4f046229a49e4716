import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { Marked } from 'marked';
import { VIEWS_DIR } from '../common/paths';
import type { Locale } from '../volunteers/volunteer.entity';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface Compiled {
  subject: HandlebarsTemplateDelegate;
  body: HandlebarsTemplateDelegate;
  escapedBody: HandlebarsTemplateDelegate;
}

const markdown = new Marked({ gfm: true, breaks: true });

/**
 * `views/emails/<name>.<locale>.hbs`: a `Subject:` line, a blank line, then the body in
 * Markdown. The plain-text part is the body as written (Markdown reads as text); the
 * HTML part is the same body, rendered with every value HTML-escaped first and then
 * through Markdown (marked) into `views/emails/layout.hbs`. One source, two parts.
 */
@Injectable()
export class EmailTemplates {
  private readonly cache = new Map<string, Compiled>();
  private readonly layout = Handlebars.compile(
    readFileSync(join(VIEWS_DIR, 'emails', 'layout.hbs'), 'utf8'),
  );

  render(name: string, locale: Locale, data: Record<string, unknown>): RenderedEmail {
    const template = this.load(name, locale);
    const subject = template.subject(data).trim();
    return {
      subject,
      text: template.body(data).trim() + '\n',
      html: this.layout({
        lang: locale,
        subject,
        content: new Handlebars.SafeString(
          markdown.parse(template.escapedBody(data), { async: false }),
        ),
      }),
    };
  }

  private load(name: string, locale: Locale): Compiled {
    const key = `${name}.${locale}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      const source = readFileSync(join(VIEWS_DIR, 'emails', `${key}.hbs`), 'utf8');
      const match = source.match(/^Subject: (.+)\r?\n\r?\n([\s\S]+)$/);
      if (!match) {
        throw new Error(`views/emails/${key}.hbs must start with "Subject: …" and a blank line`);
      }
      compiled = {
        subject: Handlebars.compile(match[1], { noEscape: true }),
        body: Handlebars.compile(match[2], { noEscape: true }),
        escapedBody: Handlebars.compile(match[2]),
      };
      this.cache.set(key, compiled);
    }
    return compiled;
  }
}
