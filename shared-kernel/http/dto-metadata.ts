import type { ClassConstructor } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage } from 'class-validator';

// `@Type` metadata (nested DTO classes) lives here; the package gives it no typed entry point.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const storage = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: MetadataStorage;
};
export const transformerMetadata = storage.defaultMetadataStorage;

/** The fields a DTO declares: every property one of its validation decorators names. */
export function declaredFields(dto: ClassConstructor<object>): ReadonlySet<string> {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  return new Set(metadata.map((entry) => entry.propertyName));
}

/** The DTO class a field holds (`@Type(() => MoneyDto)`), or undefined for a plain value. */
export function nestedDto(
  dto: ClassConstructor<object>,
  field: string,
): ClassConstructor<object> | undefined {
  const type = transformerMetadata.findTypeMetadata(dto, field);
  return type?.typeFunction() as ClassConstructor<object> | undefined;
}
