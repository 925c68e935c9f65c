import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Paths that never reach a log line. Private keys (JWK `d`, seeds), tokens and
 * credentials, and anything that may hold personal data. Notice content is never
 * logged on purpose; these paths are the safety net for when it is by mistake.
 */
export const REDACT_PATHS: readonly string[] = [
  'd',
  '*.d',
  '*.*.d',
  'privateKey',
  '*.privateKey',
  'secretKey',
  '*.secretKey',
  'seed',
  '*.seed',
  'token',
  '*.token',
  'password',
  '*.password',
  'creds',
  '*.creds',
  'authorization',
  '*.authorization',
  'personal',
  '*.personal',
  'operational',
  '*.operational',
  'notice',
  '*.notice',
  'plaintext',
  '*.plaintext',
  'person',
  '*.person',
  'passenger',
  '*.passenger',
];

export interface LoggerOptions {
  /** Minimum level; defaults to LIAISON_LOG_LEVEL or `info`. */
  level?: string;
  /** Human-readable output (development only). Defaults to LIAISON_LOG_PRETTY=1. */
  pretty?: boolean;
  /** Where lines go; defaults to stdout. Tests pass a sink here. */
  destination?: DestinationStream;
}

/**
 * The logger of one package or service: JSON lines to stdout, redacting secrets
 * and personal data. Declare it once per package (`logger.ts`) and import it.
 */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LIAISON_LOG_LEVEL ?? 'info';
  const pretty = options.pretty ?? process.env.LIAISON_LOG_PRETTY === '1';
  const base = {
    name,
    level,
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty) return pino({ ...base, transport: { target: 'pino-pretty' } });
  return pino(base);
}

export type { Logger } from 'pino';
