import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../../logging/logger';

/**
 * Routes kafkajs's own log lines into the process logger. Its ERROR lines (one per timed-out
 * attempt, for example) are logged as warnings: the publisher reports real failures itself, as
 * a rejected publish, and the caller decides whether that is an error.
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, ...extra } = log;
      const line = { component: `kafkajs:${namespace}`, ...extra };
      if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn(message, line);
      else if (level === logLevel.INFO) logger.info(message, line);
      else logger.debug(message, line);
    };
}

/** The kafkajs level that lets through what the process logger would print. */
export function kafkaLogLevel(logger: Logger | undefined): logLevel {
  if (!logger) return logLevel.NOTHING;
  return logger.isDebugEnabled() ? logLevel.DEBUG : logLevel.WARN;
}
