import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Optional } from '@nestjs/common';
import Handlebars from 'handlebars';
import { VIEWS_DIR } from '../common/paths';
import { APP_CONFIG, type AppConfig } from '../config/env';
import type { Locale } from '../volunteers/volunteer.entity';
import { EmailValues, inlineValue, mapStrings, renderMarkdownEmail } from './email-markdown';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface Compiled {
  subjectSource: string;
  subject: HandlebarsTemplateDelegate;
  body: HandlebarsTemplateDelegate;
}

/** A placeholder for a person's name in a template (`{{firstName}}`, `{{volunteerName}}`). */
const PERSONAL_PLACEHOLDER =
  /\{\{[^}]*\b(?:firstName|lastName|volunteerName|recipientName|coordinatorName|name)\b/;

/**
 * `views/emails/<name>.<locale>.hbs`: a `Subject:` line, a blank line, then the body in
 * Markdown. The body is filled with stand-ins for the values and read as Markdown once;
 * the HTML part (in `views/emails/layout.hbs`) and a plain-text part that reads as a
 * letter come from it, with the values put in only then (see EmailValues). What a
 * person typed therefore never becomes a link, a picture or a list, in either part.
 */
@Injectable()
export class EmailTemplates {
  private readonly cache = new Map<string, Compiled>();
  private readonly layout = Handlebars.compile(
    readFileSync(join(VIEWS_DIR, 'emails', 'layout.hbs'), 'utf8'),
  );

  /**
   * Every email the app sends ends with a link to the privacy notice (issue 14); built
   * without the app's settings (the markup unit tests), there is no site to link to.
   */
  private readonly privacyUrl?: string;

  constructor(@Optional() @Inject(APP_CONFIG) config?: AppConfig) {
    this.privacyUrl = config ? `${config.publicUrl}/privatliv` : undefined;
  }

  render(name: string, locale: Locale, data: Record<string, unknown>): RenderedEmail {
    const template = this.load(name, locale);
    // The subject is a header, not Markdown: its values go in as text on one line.
    const subject = template.subject(mapStrings(data, inlineValue)).trim();
    const values = new EmailValues();
    const { html, text } = renderMarkdownEmail(template.body(values.hold(data)), values);
    const privacy = !this.privacyUrl
      ? ''
      : locale === 'en'
        ? `How Klar handles your details: ${this.privacyUrl}`
        : `Sådan behandler Klar dine oplysninger: ${this.privacyUrl}`;
    return {
      subject,
      text: privacy ? `${text.trimEnd()}\n\n-- \n${privacy}\n` : text,
      html: this.layout({
        lang: locale,
        isEn: locale === 'en',
        subject,
        privacyUrl: this.privacyUrl,
        content: new Handlebars.SafeString(html),
      }),
    };
  }

  /**
   * Whether the subject of a template, in either language, names a person ("Tak for din
   * ansøgning, {{firstName}}"): retention then blanks the subject with the body. A
   * template that no longer exists counts as naming someone.
   */
  subjectNamesSomeone(name: string): boolean {
    try {
      return (['da', 'en'] as const).some((locale) =>
        PERSONAL_PLACEHOLDER.test(this.load(name, locale).subjectSource),
      );
    } catch {
      return true;
    }
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
        subjectSource: match[1],
        subject: Handlebars.compile(match[1], { noEscape: true }),
        body: Handlebars.compile(match[2], { noEscape: true }),
      };
      this.cache.set(key, compiled);
    }
    return compiled;
  }
}
