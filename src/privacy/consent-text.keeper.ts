import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { keepCurrentConsentText } from './consent';

/** Stores the words of the consent text this build shows, once, when it first starts. */
@Injectable()
export class ConsentTextKeeper implements OnApplicationBootstrap {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await keepCurrentConsentText(this.db.manager);
  }
}
