import fc from 'fast-check';

/**
 * Values a hostile or broken client sends where a well-formed one belongs: store operators,
 * prototype keys, numbers JSON allows but no field does, unicode that trips naive code, wrong
 * types, and strings far over any limit.
 */
export const operatorInjections: unknown[] = [
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000)' },
  { $regex: '.*' },
  { $in: [1, 2] },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
];

export const hugeNumbers: number[] = [
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 64,
  -(2 ** 63),
  1.5,
  -0,
  5e-324,
];

export const unicodeEdges: string[] = [
  '\u0000',
  'nul\u0000inside',
  '\ud800',
  'lone \udfff surrogate',
  '\u202eRTL override',
  'zero\u200bwidth',
  '\ufeffBOM',
  '👩‍👩‍👧‍👦',
  'e\u0301'.repeat(500),
  '𝕏'.repeat(300),
  '\r\nX-Injected: 1',
  '   ',
  '',
];

export const injectionStrings: string[] = [
  "' OR 1=1 --",
  '"; DROP TABLE events; --',
  '../../../../etc/passwd',
  '%2e%2e%2f%2e%2e%2f',
  '{"$gt":""}',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  'product-1) OR (1=1',
];

export const wrongTypes: unknown[] = [true, false, null, 0, -1, '1', [], [1, 2], {}, [{}], 'NaN'];

/** Strings far over any field's limit, short of the body limit and over it. */
export const hugeStrings = fc.constantFrom(...[2_000, 20_000, 70_000].map((n) => 'x'.repeat(n)));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...unicodeEdges, ...injectionStrings),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 201, maxLength: 400 }),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...operatorInjections),
  fc.constantFrom(...hugeNumbers),
  fc.constantFrom(...wrongTypes),
  hostileString,
  hugeStrings,
  fc.anything({ maxDepth: 2 }),
);

/** Header values fetch can carry (Latin-1, no line breaks), each wrong for the header. */
export const hostileHeader = fc.constantFrom(
  '"abc"',
  '"-1"',
  '"99999999999999999999999"',
  'W/"1"',
  '*',
  '{"$gt":""}',
  "' OR 1=1 --",
  'x'.repeat(300),
  '',
);
export const hostilePosition = fc.constantFrom(
  'zz',
  '{"$gt":""}',
  '-1',
  'F00D',
  '1'.repeat(100),
  ' 0',
);

/** Bodies that are not the JSON object a command takes. */
export const malformedJson = fc.constantFrom(
  '{',
  '{"a":1,}',
  '[]]',
  'null',
  '"just a string"',
  '12',
  '\u0000',
  'NaN',
  '{"sku":"A"}{"sku":"B"}',
  `{"name":"${'x'.repeat(70_000)}"}`,
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
);
