import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import hbs from 'hbs';
import { join } from 'node:path';
import { PROJECT_ROOT, VIEWS_DIR } from './common/paths';
import { registerViewHelpers } from './common/pages/view-helpers';
import { configureWeb } from './common/pages/web';
import { createValidationPipe } from './common/validation';

/** Everything main.ts and the tests both apply to the Nest application. */
export function configureApp(app: NestExpressApplication): void {
  app.useGlobalPipes(createValidationPipe());
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.useStaticAssets(join(PROJECT_ROOT, 'public'), { prefix: '/static/', maxAge: '1h' });
  app.useBodyParser('json', { limit: '100kb' });
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  hbs.registerPartials(join(VIEWS_DIR, 'partials'));
  registerViewHelpers(hbs);
  configureWeb(app);

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
