import { batchContract } from './batch.contract';
import type { OpenStore } from './fixtures';
import { leasesContract } from './leases.contract';
import { queryContract } from './query.contract';
import { refusalsContract } from './refusals.contract';
import { targetsContract } from './targets.contract';

export type { OpenedStore, OpenStore } from './fixtures';

/**
 * The guarantees every DocumentStore adapter keeps, written once. `open` gives a fresh, empty
 * store each time it is called (and disposes of it); the adapter's spec decides how.
 */
export function describeDocumentStoreContract(name: string, open: OpenStore): void {
  describe(`DocumentStore contract: ${name}`, function () {
    describe('batches and checkpoints', () => batchContract(open));
    describe('queries', () => queryContract(open));
    describe('refusals', () => refusalsContract(open));
    describe('targets', () => targetsContract(open));
    describe('leases', () => leasesContract(open));
  });
}
