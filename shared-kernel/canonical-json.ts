/**
 * JSON with every object's keys in code-unit order, at every depth, so two values that are
 * equal as JSON data have one text whatever order their keys arrived in: what makes "the same
 * request" independent of how a client's serialiser orders fields. Arrays keep their order
 * (it is data). Only JSON values are expected (what a parsed body holds).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
