import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { VIEWS_DIR } from '../common/paths';
import type { Locale } from '../volunteers/volunteer.entity';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Compiled = {
  subject: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
};

/**
 * `views/emails/<name>.<locale>.{subject,text,html}.hbs`. Plain-text parts are compiled
 * with HTML escaping off; the HTML part keeps Handlebars' escaping of every value.
 */
@Injectable()
export class EmailTemplates {
  private readonly cache = new Map<string, Compiled>();

  render(name: string, locale: Locale, data: Record<string, unknown>): RenderedEmail {
    const template = this.load(name, locale);
    return {
      subject: template.subject(data).trim(),
      text: template.text(data),
      html: template.html(data),
    };
  }

  private load(name: string, locale: Locale): Compiled {
    const key = `${name}.${locale}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      const read = (part: string) =>
        readFileSync(join(VIEWS_DIR, 'emails', `${key}.${part}.hbs`), 'utf8');
      compiled = {
        subject: Handlebars.compile(read('subject'), { noEscape: true }),
        text: Handlebars.compile(read('text'), { noEscape: true }),
        html: Handlebars.compile(read('html')),
      };
      this.cache.set(key, compiled);
    }
    return compiled;
  }
}
