import { describeAliasContract } from './aliases.contract';
import type { OpenSubject } from './fixtures';
import { describePaginationContract } from './pagination.contract';
import { describeQueryContract } from './queries.contract';
import { describeRelevanceContract } from './relevance.contract';
import { describeWriteContract } from './writes.contract';

export type { ContractSubject, OpenSubject } from './fixtures';

/**
 * The SearchIndex contract, written once and run against every adapter. `open` is called per
 * suite (after the adapter's spec has checked its server is there) and makes a fresh adapter
 * for a declaration whose name is unique to that suite.
 */
export function describeSearchIndexContract(open: () => OpenSubject): void {
  describeWriteContract(open);
  describeQueryContract(open);
  describeRelevanceContract(open);
  describePaginationContract(open);
  describeAliasContract(open);
}
