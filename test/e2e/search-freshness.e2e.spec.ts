import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { runStrata } from '../../projections/cli/cli.fixtures';
import { startSystem, type Answer, type RunningSystem } from './support/system';

/**
 * The query API keeps the search columns and text matches in memory; the worker, another
 * process, writes the search index. Every write must show in the very next search that waits
 * for its position (renames, prices, stock, discontinuation, new products, and a rebuild by the
 * CLI, a third process), with totals and facets to match: nothing kept may answer for it.
 */
describe('Search answers what the worker wrote last (query API, worker and CLI processes)', function () {
  this.timeout(180_000);
  let sys: RunningSystem;
  // One word of its own, so the spec sees only its products; it ends in a digit, so no stemming.
  const tag = `w${randomUUID().slice(0, 8).replaceAll('-', '')}7`;
  const ids: Record<string, string> = {};
  let position = '0';

  const command = async (answer: Promise<Answer>) => {
    const res = await answer;
    expect([200, 201], JSON.stringify(res.body)).to.include(res.status);
    position = res.body.position as string;
    return res.body as { id: string };
  };
  /** The products of this spec a search finds, by price, with its total and category facet. */
  const search = async (words: string, filters = '') => {
    const url = `/products/search?q=${encodeURIComponent(`${words} ${tag}`)}&sort=price_asc${filters}`;
    const res = await sys.query.get(url, { 'X-Min-Position': position });
    expect(res.status, `${url}: ${JSON.stringify(res.body)}`).to.equal(200);
    const items = res.body.items as Array<{ name: string }>;
    return {
      names: items.map((item) => item.name.replace(` ${tag}`, '')),
      total: res.body.total as number,
      categories: res.body.facets.category as Array<{ value: string; count: number }>,
    };
  };
  const create = async (name: string, amount: number) => {
    const sku = `SF-${name.replaceAll(' ', '')}-${tag}`.toUpperCase();
    const body = {
      sku,
      name: `${name} ${tag}`,
      category: name.split(' ')[0]!.toLowerCase(),
      price: { amount, currency: 'EUR' },
    };
    ids[name] = (await command(sys.command.post('/products', body))).id;
    return sku;
  };

  before(async () => {
    sys = await startSystem();
  });
  after(async () => sys?.stop());

  it('shows every kind of write in the next search, however much the query process kept', async () => {
    await create('Oak lamp', 3000);
    const steelSku = await create('Steel lamp', 2000);
    await create('Glass vase', 1000);
    expect(await search('')).to.deep.equal({
      names: ['Glass vase', 'Steel lamp', 'Oak lamp'],
      total: 3,
      categories: [
        { value: 'glass', count: 1 },
        { value: 'oak', count: 1 },
        { value: 'steel', count: 1 },
      ],
    });
    expect((await search('lamp')).names).to.deep.equal(['Steel lamp', 'Oak lamp']);

    await command(
      sys.command.patch(`/products/${ids['Glass vase']}`, { name: `Glass lamp ${tag}` }),
    );
    expect((await search('lamp')).names).to.deep.equal(['Glass lamp', 'Steel lamp', 'Oak lamp']);
    expect((await search('vase')).total).to.equal(0);

    await command(
      sys.command.post(`/products/${ids['Oak lamp']}/price`, {
        price: { amount: 500, currency: 'EUR' },
      }),
    );
    expect((await search('lamp')).names).to.deep.equal(['Oak lamp', 'Glass lamp', 'Steel lamp']);
    expect((await search('lamp', '&maxPrice=999')).names).to.deep.equal(['Oak lamp']);

    expect((await search('', '&inStock=true')).total).to.equal(0);
    await command(sys.command.post(`/inventory/${steelSku}/receipts`, { quantity: 3 }));
    expect((await search('', '&inStock=true')).names).to.deep.equal(['Steel lamp']);

    await command(sys.command.post(`/products/${ids['Oak lamp']}/discontinue`, { reason: 'gone' }));
    const afterDiscontinue = await search('lamp');
    expect(afterDiscontinue.names).to.deep.equal(['Glass lamp', 'Steel lamp']);
    expect(afterDiscontinue.categories).to.deep.equal([
      { value: 'glass', count: 1 },
      { value: 'steel', count: 1 },
    ]);

    await create('Copper lamp', 1500);
    expect((await search('lamp')).names).to.deep.equal(['Glass lamp', 'Copper lamp', 'Steel lamp']);
  });

  it('searches the target a CLI rebuild swapped in, and the writes the worker makes into it', async () => {
    const before = await search('lamp');
    const rebuild = await runStrata(['projections', 'rebuild', 'product-search', '--json'], {
      STRATA_DATA_DIR: sys.dataDir,
    });
    expect(rebuild.code, rebuild.stderr).to.equal(0);
    expect(await search('lamp')).to.deep.equal(before);
    await command(
      sys.command.post(`/products/${ids['Steel lamp']}/price`, {
        price: { amount: 100, currency: 'EUR' },
      }),
    );
    expect((await search('lamp')).names).to.deep.equal(['Steel lamp', 'Glass lamp', 'Copper lamp']);
  });
});
