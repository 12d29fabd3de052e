import 'reflect-metadata';
import type { ClassConstructor } from 'class-transformer';
import { validate, type ValidationError as ClassValidatorError } from 'class-validator';
import { ValidationError, type FieldError } from '../errors';
import { declaredFields, nestedDto } from './dto-metadata';

/** Deeper than any DTO goes; stops pathological `[[[[...` bodies before they cost anything. */
const MAX_DEPTH = 16;

/**
 * Turns an untrusted JSON value into a validated DTO instance, or throws one `ValidationError`
 * naming every bad field (`price.amount`, `lines[2].quantity`). No implicit conversion: "12"
 * is not 12. Unknown fields are errors, not silently dropped, whatever their name: `toString`
 * or `__proto__` is refused exactly like `foo`.
 */
export async function validateDto<T extends object>(
  dto: ClassConstructor<T>,
  plain: unknown,
  root = 'body',
): Promise<T> {
  if (!isObject(plain) || Array.isArray(plain)) {
    throw new ValidationError([{ field: root, message: 'must be a JSON object' }]);
  }
  assertDepth(plain);
  const unknown: FieldError[] = [];
  const instance = toInstance(dto, plain, '', unknown);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  const all = [...unknown, ...flatten(errors, '')];
  if (all.length > 0) throw new ValidationError(all);
  return instance as T;
}

/**
 * The DTO instance for `plain`: each declared field copied as sent (a nested DTO built the same
 * way), each undeclared one reported. Built here rather than by class-transformer, which skips
 * any key an object inherits (`toString`, `constructor`) and would assign `__proto__`, so such
 * names would vanish from data and slip past the unknown-field check. A field that is data (an
 * attributes record) is kept as parsed, every key in it its own.
 */
function toInstance<T extends object>(
  dto: ClassConstructor<T>,
  plain: object,
  path: string,
  unknown: FieldError[],
): T {
  const declared = declaredFields(dto);
  const instance = new dto() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    const field = path ? `${path}.${key}` : key;
    if (!declared.has(key)) {
      unknown.push({ field, message: 'should not exist' });
      continue;
    }
    const value = (plain as Record<string, unknown>)[key];
    const nested = nestedDto(dto, key);
    const build = (item: unknown, at: string) =>
      nested && isObject(item) && !Array.isArray(item)
        ? toInstance(nested, item, at, unknown)
        : item;
    instance[key] = Array.isArray(value)
      ? value.map((item, i) => build(item, `${field}[${i}]`))
      : build(value, field);
  }
  return instance as T;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function assertDepth(plain: object): void {
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: plain, path: '', depth: 0 },
  ];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, path, depth } = item;
    if (!isObject(value)) continue;
    if (depth > MAX_DEPTH) {
      throw new ValidationError([{ field: path || 'body', message: 'is nested too deeply' }]);
    }
    for (const key of Object.keys(value)) {
      const child = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
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
