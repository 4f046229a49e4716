import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { openDataSource } from './migrate';

@Module({})
export class DatabaseModule {
  static forRoot(options: DataSourceOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...options, retryAttempts: 2, retryDelay: 1000 }),
          // Connected and migrated before any module sees it (migrations under a lock).
          dataSourceFactory: (resolved) => openDataSource(resolved ?? options),
        }),
      ],
    };
  }
}
