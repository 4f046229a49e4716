import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  validateSync,
} from 'class-validator';
import { parseTrustProxy, TRUST_PROXY_FORMAT, type TrustProxy } from './trust-proxy';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The organisation on course certificates when ORGANISATION_NAME is not set. */
export const DEFAULT_ORGANISATION_NAME = 'HOME-START';

/** The environment variables Klar reads, validated once at start-up. */
class EnvSchema {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  PUBLIC_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ protocols: ['smtp', 'smtps'], require_tld: false, require_protocol: true })
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(3)
  MAIL_FROM?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsEmail()
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(12)
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  ATTESTATION_VALID_MONTHS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  TOKEN_TTL_HOURS?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  SEED_DEMO?: boolean;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  OUTBOX_WORKER?: boolean;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  OUTBOX_POLL_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  OUTBOX_RETRY_BASE_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  OUTBOX_MAX_ATTEMPTS?: number;

  @IsOptional()
  @ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && parseTrustProxy(value) !== undefined,
      defaultMessage: () => `TRUST_PROXY must be ${TRUST_PROXY_FORMAT}`,
    },
  })
  TRUST_PROXY?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  APPLY_LIMIT_PER_CLIENT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(8)
  @Max(3650)
  PORTAL_LINK_IDLE_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  MAIL_BODY_RETENTION_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  RETENTION_CLOSED_MONTHS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  DB_POOL_MAX?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsEmail()
  PRIVACY_CONTACT_EMAIL?: string;

  /** One line of visible text: it is printed on course certificates. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MaxLength(100)
  @Matches(/^(?=.*\S)[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u, {
    message: 'ORGANISATION_NAME must be one line of visible text',
  })
  ORGANISATION_NAME?: string;
}

/** The variable names, listed once so the docker-compose test can compare against them. */
class EnvSchemaKeys implements Required<Record<keyof EnvSchema, true>> {
  NODE_ENV = true as const;
  PORT = true as const;
  DATABASE_URL = true as const;
  DATA_DIR = true as const;
  PUBLIC_URL = true as const;
  SMTP_URL = true as const;
  MAIL_FROM = true as const;
  BOOTSTRAP_ADMIN_EMAIL = true as const;
  BOOTSTRAP_ADMIN_PASSWORD = true as const;
  ATTESTATION_VALID_MONTHS = true as const;
  TOKEN_TTL_HOURS = true as const;
  SEED_DEMO = true as const;
  OUTBOX_WORKER = true as const;
  OUTBOX_POLL_MS = true as const;
  OUTBOX_RETRY_BASE_MS = true as const;
  OUTBOX_MAX_ATTEMPTS = true as const;
  TRUST_PROXY = true as const;
  APPLY_LIMIT_PER_CLIENT = true as const;
  PORTAL_LINK_IDLE_DAYS = true as const;
  MAIL_BODY_RETENTION_DAYS = true as const;
  RETENTION_CLOSED_MONTHS = true as const;
  DB_POOL_MAX = true as const;
  ORGANISATION_NAME = true as const;
  PRIVACY_CONTACT_EMAIL = true as const;
}

export const ENV_VARIABLES: readonly string[] = Object.keys(new EnvSchemaKeys());

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  /** A PostgreSQL server; undefined means the embedded database in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  publicUrl: string;
  smtpUrl?: string;
  mailFrom: string;
  bootstrapAdmin?: { email: string; password: string };
  attestationValidMonths: number;
  tokenTtlHours: number;
  seedDemo: boolean;
  outbox: {
    /** Whether this instance sends queued mail (several may; each message goes once). */
    worker: boolean;
    pollMs: number;
    /** The first retry waits this long; each further one twice as long. */
    retryBaseMs: number;
    maxAttempts: number;
  };
  /** Express's `trust proxy`: which X-Forwarded-* hops to believe (req.ip, req.secure). */
  trustProxy: TrustProxy;
  /** Applications (and link requests) per client address per hour; beyond, 429. */
  applyLimitPerClient: number;
  /** A personal link unused this many days no longer opens the page. */
  portalLinkIdleDays: number;
  /** A sent email's body (and any link in it) is blanked this many days after sending. */
  mailBodyRetentionDays: number;
  /** Declined and withdrawn people are erased this many months after closing. */
  retentionClosedMonths: number;
  /** Connections this instance may hold to a PostgreSQL server (pg pool `max`). */
  dbPoolMax: number;
  /** The national organisation: data controller beside the branch, named on certificates. */
  organisationName: string;
  /** Where a person writes about their data (access, erasure, complaints); unset: the branch's address. */
  privacyContactEmail?: string;
}

export class ConfigError extends Error {}

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(source: Record<string, string | undefined>): AppConfig {
  const known = Object.fromEntries(ENV_VARIABLES.map((key) => [key, source[key]]));
  const env = plainToInstance(EnvSchema, known);
  const problems = validateSync(env, { forbidUnknownValues: false });
  if (problems.length > 0) {
    const lines = problems.map(
      (p) => `${p.property}: ${Object.values(p.constraints ?? {}).join('; ')}`,
    );
    throw new ConfigError(`Invalid environment:\n  ${lines.join('\n  ')}`);
  }
  if (Boolean(env.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(env.BOOTSTRAP_ADMIN_PASSWORD)) {
    throw new ConfigError(
      'Invalid environment:\n  BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together',
    );
  }
  const nodeEnv = (env.NODE_ENV as AppConfig['env']) ?? 'development';
  // The demo has a published password and a fixed personal link: on a real install
  // anyone could sign in as its administrator.
  if (nodeEnv === 'production' && env.SEED_DEMO === true) {
    throw new ConfigError(
      'Invalid environment:\n  SEED_DEMO=true is not allowed with NODE_ENV=production: the demo data has a public password and a fixed personal link. Unset SEED_DEMO, or use another NODE_ENV for a demo.',
    );
  }
  const port = env.PORT ?? 3000;
  const databaseUrl = env.DATABASE_URL;
  return {
    env: nodeEnv,
    port,
    databaseUrl,
    dataDir: env.DATA_DIR ?? './data',
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM ?? 'Klar <no-reply@klar.local>',
    bootstrapAdmin: env.BOOTSTRAP_ADMIN_EMAIL
      ? { email: env.BOOTSTRAP_ADMIN_EMAIL, password: env.BOOTSTRAP_ADMIN_PASSWORD! }
      : undefined,
    attestationValidMonths: env.ATTESTATION_VALID_MONTHS ?? 24,
    tokenTtlHours: env.TOKEN_TTL_HOURS ?? 12,
    // The embedded database is the demo database, except in production; a real server
    // is seeded only on request.
    seedDemo: env.SEED_DEMO ?? (databaseUrl === undefined && nodeEnv !== 'production'),
    outbox: {
      worker: env.OUTBOX_WORKER ?? true,
      pollMs: env.OUTBOX_POLL_MS ?? 2000,
      retryBaseMs: env.OUTBOX_RETRY_BASE_MS ?? 30_000,
      maxAttempts: env.OUTBOX_MAX_ATTEMPTS ?? 8,
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY)!,
    applyLimitPerClient: env.APPLY_LIMIT_PER_CLIENT ?? 20,
    portalLinkIdleDays: env.PORTAL_LINK_IDLE_DAYS ?? 180,
    mailBodyRetentionDays: env.MAIL_BODY_RETENTION_DAYS ?? 30,
    retentionClosedMonths: env.RETENTION_CLOSED_MONTHS ?? 6,
    dbPoolMax: env.DB_POOL_MAX ?? 10,
    // Klar is HOME-START's platform (the layout's footer says so): the name by default.
    organisationName: env.ORGANISATION_NAME?.trim() ?? DEFAULT_ORGANISATION_NAME,
    privacyContactEmail: env.PRIVACY_CONTACT_EMAIL,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
