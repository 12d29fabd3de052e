/** For the limits specs: the query API over real read models, with chosen access options. */
import type { Express } from 'express';
import { createQueryApp } from '../../../read-side/app';
import {
  commandsOf,
  openQueryFixture,
  type QueryFixture,
} from '../../../read-side/query-app.fixtures';
import { openLruCache } from '../../cache/lru-cache';
import type { AccessOptions } from '../auth/guards';
import { quietLogger } from '../auth/tokens.fixtures';

export interface LimitsFixture {
  fixture: QueryFixture;
  productId: string;
  /** Makes one more product and projects it; returns the new head position. */
  nextProduct(): Promise<string>;
  /** The position just after the log's head: reached by the next command. */
  nextPosition(): Promise<string>;
  logLines: string[];
  appWith(access: AccessOptions, minPositionWaitMs?: number): Express;
  close(): Promise<void>;
}

export async function openLimitsFixture(): Promise<LimitsFixture> {
  const fixture = await openQueryFixture();
  const commands = commandsOf(fixture);
  let made = 0;
  const createProduct = async () => {
    const answer = await commands.createProduct({
      sku: `LIM-${++made}`,
      name: 'Kettle',
      category: 'kitchen',
      amount: 2500,
    });
    await fixture.project();
    return answer;
  };
  const { id: productId } = await createProduct();
  const logLines: string[] = [];
  return {
    fixture,
    productId,
    nextProduct: async () => (await createProduct()).position,
    async nextPosition() {
      const head = fixture.watcher.current('products') ?? '0'.repeat(16);
      return (BigInt(`0x${head}`) + 1n).toString(16).padStart(head.length, '0');
    },
    logLines,
    appWith: (access, minPositionWaitMs = 500) =>
      createQueryApp({
        documents: fixture.documents,
        search: fixture.search,
        cache: openLruCache(),
        watcher: fixture.watcher,
        logger: quietLogger(logLines),
        cacheTtlMs: 60_000,
        minPositionWaitMs,
        access,
      }),
    close: () => fixture.close(),
  };
}

/** A position no command has reached: a query waiting for it waits its whole bound. */
export const FAR_POSITION = 'f'.repeat(16);
