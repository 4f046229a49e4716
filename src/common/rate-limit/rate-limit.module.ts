import { Global, Module } from '@nestjs/common';
import { RateLimiter } from './rate-limiter';

/** The rate limiter every module may use; global, like the unit of work. */
@Global()
@Module({ providers: [RateLimiter], exports: [RateLimiter] })
export class RateLimitModule {}
