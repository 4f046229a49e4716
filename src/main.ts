import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigError, loadConfig } from './config/env';
import { dataSourceOptions } from './database/data-source';
import { SeedService } from './seed/seed.service';

async function main() {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.create(config, dataSourceOptions(config)),
    { bodyParser: false },
  );
  configureApp(app);
  app.enableShutdownHooks();
  await app.listen(config.port);

  const logger = new Logger('Klar');
  const database = config.databaseUrl
    ? 'the PostgreSQL server in DATABASE_URL'
    : `the embedded database in ${config.dataDir}`;
  logger.log(`Klar is running at ${config.publicUrl} on ${database}`);
  const demo = app.get(SeedService).demoLogins();
  if (demo) {
    logger.log(`Demo logins (password "${demo.password}"): ${demo.emails.join(', ')}`);
    logger.log(`A demo volunteer's personal page: ${config.publicUrl}/v/${demo.portalToken}`);
  }
}

void main();
