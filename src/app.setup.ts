import { Logger } from '@nestjs/common';
import {
  type NestExpressApplication,
  type NestExpressBodyParserOptionsFor,
} from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import hbs from 'hbs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DataSourceSessionStore } from './auth/session-store';
import { PROJECT_ROOT, VIEWS_DIR } from './common/paths';
import { registerViewHelpers } from './common/pages/view-helpers';
import { configureWeb } from './common/pages/web';
import { refuseDeepJson, refuseNulBytes } from './common/request-input';
import { fixedSecurityHeaders, securityHeaders, servesHttps } from './common/security-headers';
import { createValidationPipe } from './common/validation';
import { APP_CONFIG, type AppConfig } from './config/env';
import { DatabaseHealth } from './health/database-health';
import { answerHealthFirst } from './health/health.route';

/** Everything main.ts and the tests both apply to the Nest application. */
export function configureApp(app: NestExpressApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useGlobalPipes(createValidationPipe());
  app.disable('x-powered-by');
  // Which X-Forwarded-For/-Proto hops to believe: req.ip (rate limits) and req.secure
  // (the Secure session cookie) come from them. None unless TRUST_PROXY says so, or any
  // client could name its own address.
  app.set('trust proxy', config.trustProxy);
  if (servesHttps(config) && config.trustProxy === false) {
    new Logger('Klar').warn(
      'PUBLIC_URL is https but TRUST_PROXY is not set: the TLS proxy in front of Klar is not believed, so no session cookie is set and staff cannot sign in',
    );
  }
  answerHealthFirst(
    app.getHttpServer(),
    new DatabaseHealth(app.get(DataSource)),
    fixedSecurityHeaders(config),
  );
  app.use(securityHeaders(config));
  app.useStaticAssets(join(PROJECT_ROOT, 'public'), { prefix: '/static/', maxAge: '1h' });
  // Nest's types leave out body-parser's `verify` (it uses it for rawBody, which Klar
  // does not turn on); the option reaches body-parser as it is.
  const json: NestExpressBodyParserOptionsFor<'json'> = { limit: '100kb' };
  app.useBodyParser('json', Object.assign(json, { verify: refuseDeepJson }));
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  // Compiled templates are kept (Express does so only when process.env.NODE_ENV says
  // production, which the settings do not set): read and compiled again per request, a
  // page took ~10 ms of CPU. The templates change only with a new build, which restarts.
  app.set('view cache', true);
  hbs.registerPartials(join(VIEWS_DIR, 'partials'));
  registerViewHelpers(hbs);
  configureWeb(app, new DataSourceSessionStore(app.get(DataSource)));
  // After every body parser (configureWeb adds the form parser), before any handler.
  app.use(refuseNulBytes);

  // Worked out on the first request for the docs, not at start-up: scanning every
  // controller and DTO took a twentieth of a start.
  const document = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Klar API')
        .setDescription(
          'From volunteer application to a volunteer ready to be matched with a family.',
        )
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
