import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv } from '../../shared-kernel/config/child-env';
import { PRODUCT_SEARCH_INDEX } from '../../projections/read-models/product-search';
import { searchProducts } from '../../read-side/catalog/product-search';
import type { IndexOperation } from '../../shared-kernel/search-index/port';
import { openSqliteSearchIndex } from '../../shared-kernel/search-index/sqlite/sqlite-search-index';
import { record, type Report } from '../support/report';
import { productText, uuid } from './seed-read-models';

interface Measured {
  /** Heap and typed arrays held after the searches, less what the opened index held before. */
  columnBytes: number;
  /** Resident memory of its own (heap, columns, SQLite's page cache) and of mapped files. */
  anonymousMb: number;
  fileMb: number;
}

/**
 * What the in-memory columns of the embedded search cost a query process: a search index of
 * `products` products is written straight through the adapter (as a rebuild writes it), then
 * a process of its own (`--expose-gc`, nothing else running in it) opens it, searches as the
 * query API does (status, category, price, stock and popularity loaded) and reports its memory.
 */
export async function columnMemory(report: Report, products: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-columns-'));
  try {
    const file = path.join(dir, 'search.db');
    await writeCatalogue(file, products);
    const output = execFileSync(process.execPath, ['--expose-gc', __filename, file], {
      env: childEnv(process.env),
      encoding: 'utf8',
    });
    const measured = JSON.parse(output) as Measured;
    const size = `${products / 1000}k products`;
    record(report, {
      name: `search columns in memory per product, ${size}`,
      value: Math.round(measured.columnBytes / products),
      unit: 'bytes',
    });
    record(report, {
      name: `query process resident memory of its own with the search columns loaded, ${size}`,
      value: measured.anonymousMb,
      unit: 'MiB',
    });
    record(report, {
      name: `query process resident pages of mapped files (the Node binary, up to 256 MiB of the search file), ${size}`,
      value: measured.fileMb,
      unit: 'MiB',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function writeCatalogue(file: string, products: number): Promise<void> {
  const index = openSqliteSearchIndex({ file, declarations: [PRODUCT_SEARCH_INDEX] });
  const target = await index.createTarget('products');
  for (let from = 0; from < products; from += 5000) {
    const ops: IndexOperation[] = [];
    for (let i = from; i < Math.min(products, from + 5000); i++) {
      const available = i % 10 < 7 ? 50 : 0;
      ops.push({
        op: 'upsert',
        id: uuid(1, i),
        version: (i + 1).toString(16).padStart(16, '0'),
        doc: {
          productId: uuid(1, i),
          sku: `SKU-${i}`,
          ...productText(i),
          category: `cat-${i % 20}`,
          status: 'active',
          price: 100 + ((i * 7919) % 99_900),
          currency: 'EUR',
          available,
          popularity: i % 97,
          inStock: available > 0,
          attributes: {},
          stock: { onHand: available, reserved: 0, available },
          updatedAt: '2025-01-01T00:00:00.000Z',
        },
      });
    }
    await index.bulk(target, ops);
  }
  await index.swapAlias('products', target);
  await index.close();
}

async function measure(file: string): Promise<Measured> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const held = () => {
    gc();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  const index = openSqliteSearchIndex({ file, declarations: [PRODUCT_SEARCH_INDEX] });
  const before = held();
  await searchProducts(index, {
    category: 'cat-3',
    inStock: true,
    minPrice: 0,
    sort: 'price_asc',
    limit: 20,
  });
  await searchProducts(index, { sort: 'popularity', limit: 20 });
  const columnBytes = held() - before;
  const status = readFileSync('/proc/self/status', 'utf8');
  const mb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
  await index.close();
  return { columnBytes, anonymousMb: mb('RssAnon'), fileMb: mb('RssFile') };
}

if (require.main === module) {
  void measure(process.argv[2] as string).then((measured) =>
    process.stdout.write(JSON.stringify(measured)),
  );
}
