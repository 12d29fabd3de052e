import { ValidationError, type FieldError } from '../errors';
import type { IntegrationMessage } from './port';

/** Kafka's own limit on topic names: 1 to 249 of these characters. */
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const REQUIRED_HEADERS = ['ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_subject'] as const;

/**
 * Checks a whole publish call before anything is sent or written, so a malformed message fails
 * the call with every problem named (`messages[i].field`) and nothing half-published.
 */
export function validateMessages(messages: readonly IntegrationMessage[]): void {
  if (!Array.isArray(messages)) {
    throw new ValidationError([{ field: 'messages', message: 'must be an array' }]);
  }
  const problems: FieldError[] = [];
  messages.forEach((message, index) => problems.push(...messageProblems(message, index)));
  if (problems.length > 0) throw new ValidationError(problems);
}

function messageProblems(message: IntegrationMessage, index: number): FieldError[] {
  const at = `messages[${index}]`;
  if (!isObject(message)) return [{ field: at, message: 'must be an object' }];
  const problems: FieldError[] = [];
  if (typeof message.topic !== 'string' || !TOPIC.test(message.topic)) {
    problems.push({ field: `${at}.topic`, message: 'must be 1-249 of [A-Za-z0-9._-]' });
  }
  if (typeof message.key !== 'string' || message.key === '') {
    problems.push({ field: `${at}.key`, message: 'must be a non-empty string (aggregate id)' });
  }
  if (!isObject(message.value)) {
    problems.push({ field: `${at}.value`, message: 'must be a JSON object' });
  } else if (!serialisable(message.value)) {
    problems.push({ field: `${at}.value`, message: 'must be serialisable as JSON' });
  }
  problems.push(...headerProblems(message.headers, `${at}.headers`));
  return problems;
}

function headerProblems(headers: unknown, at: string): FieldError[] {
  if (!isObject(headers)) return [{ field: at, message: 'must be an object' }];
  const problems: FieldError[] = [];
  if (headers.ce_specversion !== '1.0') {
    problems.push({ field: `${at}.ce_specversion`, message: "must be '1.0'" });
  }
  if (headers['content-type'] !== 'application/json') {
    problems.push({ field: `${at}.content-type`, message: "must be 'application/json'" });
  }
  for (const name of REQUIRED_HEADERS) {
    const value = headers[name];
    if (typeof value !== 'string' || value === '') {
      problems.push({ field: `${at}.${name}`, message: 'must be a non-empty string' });
    }
  }
  const time = headers.ce_time;
  if (typeof time === 'string' && time !== '' && !isIsoTime(time)) {
    problems.push({ field: `${at}.ce_time`, message: `must be an ISO 8601 time, got ${time}` });
  }
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIsoTime(value: string): boolean {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value) && !Number.isNaN(Date.parse(value));
}

/** Cycles and BigInts make JSON.stringify throw; catching it here names the message. */
function serialisable(value: object): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}
