import Database from 'better-sqlite3';
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../errors';
import { describeDocumentStoreContract } from '../contract/document-store.contract';
import { product, products, rejectsWith } from '../contract/contract.fixtures';
import { queryableFields } from '../declaration';
import type { Query } from '../port';
import { planQuery } from '../query';
import { readModelsFile } from './open';
import { selectSql } from './sql';
import { openSqliteDocumentStore } from './sqlite-document-store';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-docs-'));
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describeDocumentStoreContract('SQLite', async () => {
  const store = openSqliteDocumentStore({ file: readModelsFile(freshDir()) });
  return { store, dispose: () => store.close() };
});

describe('SQLite DocumentStore', () => {
  it('answers declared-index queries from the index, with no scan and no sort step', async () => {
    const file = readModelsFile(freshDir());
    const store = openSqliteDocumentStore({ file });
    await store.ensureCollection(products);
    const writes = Array.from({ length: 50 }, (_, i) => ({
      collection: 'products',
      id: `p${i}`,
      doc: product(i),
    }));
    await store.commitBatch({ writes });
    const queryable = queryableFields(products);
    const db = new Database(file, { readonly: true });
    const plan = (query: Query) => {
      const { sql, params } = selectSql('products__v1', planQuery(query, queryable));
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join(' | ');
    };
    const byCategory = {
      where: { category: 'books' },
      sort: [{ field: 'price.amount', direction: 'desc' as const }],
      limit: 20,
    };
    const page = await store.find('products', { ...byCategory, limit: 3 });
    expect(page.nextCursor).to.be.a('string');
    const cases: Array<[Query, RegExp]> = [
      [byCategory, /USING INDEX ix_products__v1_byCategoryPrice_\w+ \(.*=\?\)/],
      [
        { ...byCategory, cursor: page.nextCursor },
        /USING INDEX ix_products__v1_byCategoryPrice_\w+/,
      ],
      [
        { where: { 'price.amount': { gte: 100, lt: 500 } }, limit: 20 },
        /USING INDEX ix_products__v1_byCategoryPrice|USING INDEX/,
      ],
      [
        {
          where: { 'stock.available': { gt: 2 } },
          sort: [{ field: 'stock.available', direction: 'asc' }],
          limit: 20,
        },
        /USING INDEX ix_products__v1_byStock_\w+ \(.*>\?\)/,
      ],
      [
        { sort: [{ field: 'name', direction: 'desc' }], limit: 20 },
        /SCAN products__v1 USING INDEX ix_products__v1_byName_\w+$/,
      ],
    ];
    for (const [query, expected] of cases) {
      const detail = plan(query);
      expect(detail, JSON.stringify(query)).to.match(expected);
      expect(detail, JSON.stringify(query)).to.not.match(
        /TEMP B-TREE FOR ORDER BY|SCAN products__v1$|SCAN products__v1 \|/,
      );
    }
    // An in-list is one index search per value; merging them by id needs a sort of the matches.
    const inList = plan({ where: { category: { in: ['books', 'toys'] } }, limit: 20 });
    expect(inList).to.match(
      /SEARCH products__v1 USING INDEX ix_products__v1_byCategoryPrice_\w+ \(<expr>=\?\)/,
    );
    expect(inList).to.not.match(/SCAN products__v1/);
    db.close();
    await store.close();
  });

  it('fills a rebuild target without secondary indexes and builds them before it goes live', async () => {
    const file = readModelsFile(freshDir());
    const store = openSqliteDocumentStore({ file });
    await store.ensureCollection(products);
    const target = await store.createTarget('products');
    const writes = Array.from({ length: 30 }, (_, i) => ({
      collection: 'products',
      id: `p${i}`,
      doc: product(i),
    }));
    await store.commitBatch({ writes, target });
    const db = new Database(file, { readonly: true });
    const indexesOf = (table: string) =>
      db
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name LIKE 'ix%'`,
        )
        .pluck()
        .all(table);
    expect(indexesOf(target)).to.deep.equal([]);
    await store.swap('products', target);
    expect(indexesOf(target)).to.have.length(products.indexes.length);
    const { sql, params } = selectSql(
      target,
      planQuery({ where: { category: 'books' }, limit: 5 }, queryableFields(products)),
    );
    const detail = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{
      detail: string;
    }>;
    expect(detail.map((r) => r.detail).join()).to.match(
      /USING INDEX ix_products__v2_byCategoryPrice/,
    );
    expect(await store.count('products', { category: 'books' })).to.equal(6);
    db.close();
    await store.close();
  });

  it('sees a swap made through another connection to the same file (another process)', async () => {
    const file = readModelsFile(freshDir());
    const cli = openSqliteDocumentStore({ file });
    const api = openSqliteDocumentStore({ file });
    await cli.ensureCollection(products);
    await cli.commitBatch({ writes: [{ collection: 'products', id: 'a', doc: product(1) }] });
    expect(await api.count('products')).to.equal(1);
    const target = await cli.createTarget('products');
    await cli.commitBatch({
      writes: [],
      target,
      checkpoint: { processor: 'catalog', position: '0a' },
    });
    await cli.swap('products', target);
    expect(await api.count('products')).to.equal(0);
    expect(await api.getCheckpoint('catalog')).to.equal('0a');
    await Promise.all([cli.close(), api.close()]);
  });

  it('reports a file it cannot open as a StoreError naming the file', async () => {
    const dir = freshDir();
    const notADir = join(dir, 'plain-file');
    writeFileSync(notADir, 'x');
    const corrupt = join(dir, 'corrupt.db');
    writeFileSync(corrupt, Buffer.alloc(8192, 7));
    const locked = join(dir, 'locked.db');
    const holder = new Database(locked);
    holder.exec('CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)');
    for (const file of [join(notADir, 'read-models.db'), corrupt, locked]) {
      const error = await rejectsWith(
        Promise.resolve().then(() => openSqliteDocumentStore({ file, busyTimeoutMs: 50 })),
        StoreError,
      );
      expect(error.message).to.include(file);
    }
    holder.exec('ROLLBACK');
    holder.close();
  });
});
