import {
  type NestExpressApplication,
  type NestExpressBodyParserOptionsFor,
} from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import hbs from 'hbs';
import { join } from 'node:path';
import { PROJECT_ROOT, VIEWS_DIR } from './common/paths';
import { registerViewHelpers } from './common/pages/view-helpers';
import { configureWeb } from './common/pages/web';
import { refuseDeepJson, refuseNulBytes } from './common/request-input';
import { createValidationPipe } from './common/validation';

/** Everything main.ts and the tests both apply to the Nest application. */
export function configureApp(app: NestExpressApplication): void {
  app.useGlobalPipes(createValidationPipe());
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.useStaticAssets(join(PROJECT_ROOT, 'public'), { prefix: '/static/', maxAge: '1h' });
  // Nest's types leave out body-parser's `verify` (it uses it for rawBody, which Klar
  // does not turn on); the option reaches body-parser as it is.
  const json: NestExpressBodyParserOptionsFor<'json'> = { limit: '100kb' };
  app.useBodyParser('json', Object.assign(json, { verify: refuseDeepJson }));
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  hbs.registerPartials(join(VIEWS_DIR, 'partials'));
  registerViewHelpers(hbs);
  configureWeb(app);
  // After every body parser (configureWeb adds the form parser), before any handler.
  app.use(refuseNulBytes);

  const document = SwaggerModule.createDocument(
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
