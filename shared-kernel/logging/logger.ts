import winston from 'winston';
import { currentContext } from './context';

export type Logger = winston.Logger;

export interface LoggerOptions {
  service: string;
  level: 'error' | 'warn' | 'info' | 'debug';
  /** `auto`: human-readable on a terminal, JSON lines otherwise. */
  format: 'auto' | 'json' | 'pretty';
  /** Where lines go; defaults to stdout. Tests pass a stream to read them back. */
  stream?: NodeJS.WritableStream;
}

/** Keys whose values are never written to a log, whatever object they turn up in. */
const SECRET_KEY = /authorization|password|secret|token|api[-_]?key|cookie/i;

const withContext = winston.format((info) => {
  const context = currentContext();
  if (context) {
    info.correlationId ??= context.correlationId;
    if (context.causationId) info.causationId ??= context.causationId;
    if (context.actor) info.actor ??= context.actor;
  }
  return info;
});

const redactSecrets = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (SECRET_KEY.test(key)) info[key] = '[redacted]';
  }
  return info;
});

export function createLogger(options: LoggerOptions): Logger {
  const pretty =
    options.format === 'pretty' ||
    (options.format === 'auto' && options.stream === undefined && process.stdout.isTTY === true);
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: options.level,
    defaultMeta: { service: options.service },
    format: winston.format.combine(
      withContext(),
      redactSecrets(),
      winston.format.errors({ stack: true }),
      winston.format.timestamp(),
      pretty
        ? winston.format.combine(
            winston.format.colorize(),
            winston.format.printf(({ timestamp, level, message, service, ...rest }) => {
              const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
              return `${String(timestamp)} ${level} [${String(service)}] ${String(message)}${extra}`;
            }),
          )
        : winston.format.json(),
    ),
    transports: [transport],
  });
}
