import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidationError as ClassValidatorError } from 'class-validator';
import { ValidationError, type FieldError } from '../errors';

/** Deeper than any DTO goes; stops pathological `[[[[...` bodies before they cost anything. */
const MAX_DEPTH = 16;
/** Keys that would reach a prototype when copied onto an instance: refused wherever they are. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Turns an untrusted JSON value into a validated DTO instance, or throws one `ValidationError`
 * naming every bad field (`price.amount`, `lines[2].quantity`). No implicit conversion: "12"
 * is not 12. Unknown fields are errors, not silently dropped.
 */
export async function validateDto<T extends object>(
  dto: ClassConstructor<T>,
  plain: unknown,
  root = 'body',
): Promise<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new ValidationError([{ field: root, message: 'must be a JSON object' }]);
  }
  assertSafeShape(plain);
  const instance = plainToInstance(dto, plain, { enableImplicitConversion: false });
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw new ValidationError(flatten(errors, ''));
  return instance;
}

function assertSafeShape(plain: object): void {
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: plain, path: '', depth: 0 },
  ];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, path, depth } = item;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) {
      throw new ValidationError([{ field: path || 'body', message: 'is nested too deeply' }]);
    }
    for (const key of Object.keys(value)) {
      const child = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) {
        throw new ValidationError([{ field: child, message: 'is not an allowed field name' }]);
      }
      pending.push({
        value: (value as Record<string, unknown>)[key],
        path: child,
        depth: depth + 1,
      });
    }
  }
}

function flatten(errors: ClassValidatorError[], prefix: string): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : prefix
        ? `${prefix}.${error.property}`
        : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ field, message: withoutSubject(message, error.property) });
    }
    if (error.children && error.children.length > 0) out.push(...flatten(error.children, field));
  }
  return out;
}

/** class-validator starts each message with the property name; the field already says it. */
function withoutSubject(message: string, property: string): string {
  const bare = message.replace(/^(?:nested )?property /, '');
  return bare.startsWith(`${property} `) ? bare.slice(property.length + 1) : bare;
}
