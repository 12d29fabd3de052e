import type { estypes } from '@elastic/elasticsearch';
import type { FieldType, IndexDeclaration } from '../port';

/**
 * The analyzer mirrors the SQLite tokenizer (`porter unicode61 remove_diacritics 2`): words
 * split on Unicode boundaries, lowercased, accents folded, English plurals and suffixes stemmed.
 */
export const TEXT_ANALYZER = 'strata_text';

/**
 * Longer keyword values are kept in the document but not indexed: Lucene refuses a term over
 * 32,766 bytes, and 8,191 characters of UTF-8 stay under that. One huge value then only makes
 * its document unfilterable on that field, instead of failing its bulk item (the poison path).
 */
export const KEYWORD_IGNORE_ABOVE = 8191;

const FIELD_MAPPING: Record<FieldType, estypes.MappingProperty> = {
  keyword: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE },
  number: { type: 'double' },
  boolean: { type: 'boolean' },
  // Dates arrive normalized to epoch milliseconds (prepare-operations.ts), so sort values are numbers.
  date: { type: 'date', format: 'epoch_millis' },
};

/**
 * A target's settings and mappings. Each stored document carries the read model's JSON under
 * `doc` (kept, not indexed) next to the indexed copies of its declared fields, so what a search
 * returns is exactly what was written. `deleted` marks tombstones: Elasticsearch forgets a real
 * delete's version after `index.gc_deletes` (60 s), and a late older upsert would then resurrect.
 * A new target is built with refresh off; `swapAlias` turns it on before it goes live.
 */
export function targetBody(declaration: IndexDeclaration): estypes.IndicesCreateRequest {
  const properties: Record<string, estypes.MappingProperty> = {
    id: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE },
    deleted: { type: 'boolean' },
    doc: { type: 'object', enabled: false },
  };
  for (const field of declaration.text) {
    properties[field.name] = { type: 'text', analyzer: TEXT_ANALYZER };
  }
  for (const field of declaration.fields) properties[field.name] = FIELD_MAPPING[field.type];
  return {
    index: '',
    settings: {
      number_of_shards: 1,
      // A target being filled needs no copies; swapAlias raises them before it goes live.
      number_of_replicas: 0,
      refresh_interval: '-1',
      analysis: {
        analyzer: {
          [TEXT_ANALYZER]: {
            type: 'custom',
            tokenizer: 'standard',
            filter: ['lowercase', 'asciifolding', 'porter_stem'],
          },
        },
      },
    },
    mappings: {
      dynamic: 'strict',
      _meta: { declaration: JSON.stringify(declaration) },
      properties,
    },
  };
}

/** What a target gets just before it goes live: its copies and its refresh back. */
export function liveSettings(replicas: number): estypes.IndicesIndexSettings {
  return { number_of_replicas: replicas, refresh_interval: '1s' };
}

/** The alias that remembers the previous live target, for `rollback`. */
export function previousAlias(indexName: string): string {
  return `${indexName}__previous`;
}
