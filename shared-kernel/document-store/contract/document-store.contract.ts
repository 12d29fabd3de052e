import { describeBatchContract } from './batch.contract';
import type { OpenStore } from './contract.fixtures';
import { describeLeasesContract } from './leases.contract';
import { describeDocumentQueryContract } from './query.contract';
import { describeRefusalsContract } from './refusals.contract';
import { describeTargetsContract } from './targets.contract';

export type { OpenedStore, OpenStore } from './contract.fixtures';

/**
 * The guarantees every DocumentStore adapter keeps, written once. `open` gives a fresh, empty
 * store each time it is called (and disposes of it); the adapter's spec decides how.
 */
export function describeDocumentStoreContract(name: string, open: OpenStore): void {
  describe(`DocumentStore contract: ${name}`, function () {
    describe('batches and checkpoints', () => describeBatchContract(open));
    describe('queries', () => describeDocumentQueryContract(open));
    describe('refusals', () => describeRefusalsContract(open));
    describe('targets', () => describeTargetsContract(open));
    describe('leases', () => describeLeasesContract(open));
  });
}
