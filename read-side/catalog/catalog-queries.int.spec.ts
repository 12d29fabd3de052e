import { expect } from 'chai';
import request from 'supertest';
import { newId } from '../../shared-kernel/ids';
import { commandsOf, openQueryFixture, type QueryFixture } from '../query-app.fixtures';

describe('query API: products and search (real SQLite read models)', function () {
  this.timeout(30_000);
  let fx: QueryFixture;
  let cmd: ReturnType<typeof commandsOf>;
  const ids: Record<string, string> = {};

  before(async () => {
    fx = await openQueryFixture();
    cmd = commandsOf(fx);
    const catalog = [
      {
        sku: 'MUG-1',
        name: 'Blue mug',
        category: 'kitchen',
        amount: 900,
        description: 'stoneware cup',
      },
      {
        sku: 'POT-1',
        name: 'Teapot',
        category: 'kitchen',
        amount: 4500,
        description: 'cast iron, for a blue table',
      },
      {
        sku: 'LMP-1',
        name: 'Desk lamp',
        category: 'office',
        amount: 12000,
        description: 'warm light',
      },
      { sku: 'CHR-1', name: 'Chair', category: 'office', amount: 30000, description: 'oak' },
      {
        sku: 'OLD-1',
        name: 'Ashtray',
        category: 'kitchen',
        amount: 500,
        description: 'blue glass',
      },
    ];
    for (const product of catalog) ids[product.sku] = (await cmd.createProduct(product)).id;
    await cmd.receive('MUG-1', 10);
    await cmd.receive('LMP-1', 3);
    await cmd.post(`/products/${ids['OLD-1']}/discontinue`, { reason: 'no longer sold' });
    // Popularity counts confirmed orders only, which need the saga; the search index sorts by it anyway.
    await fx.project();
  });
  after(() => fx.close());

  it('answers a product by id with price, stock, status and version, and the position served at', async () => {
    const res = await request(fx.app).get(`/products/${ids['MUG-1']}`).expect(200);
    expect(res.body).to.include({
      productId: ids['MUG-1'],
      sku: 'MUG-1',
      name: 'Blue mug',
      status: 'active',
      popularity: 0,
      version: 0,
    });
    expect(res.body.price).to.deep.equal({ amount: 900, currency: 'EUR' });
    expect(res.body.stock).to.deep.equal({ onHand: 10, reserved: 0, available: 10 });
    expect(res.body).not.to.have.property('position');
    expect(res.headers['x-projection-position']).to.equal(
      await fx.documents.getCheckpoint('products'),
    );
  });

  it('answers 404 problem+json for an unknown product, 400 for an id that is not a UUID', async () => {
    const missing = await request(fx.app).get(`/products/${newId()}`).expect(404);
    expect(missing.headers['content-type']).to.match(/problem\+json/);
    expect(missing.headers['x-projection-position']).to.match(/^[0-9a-f]+$/);
    const bad = await request(fx.app).get('/products/MUG-1').expect(400);
    expect(bad.body.errors).to.deep.equal([{ field: 'id', message: 'must be a UUID' }]);
    const unknown = await request(fx.app).get(`/products/${newId()}?colour=red`).expect(400);
    expect(unknown.body.errors).to.deep.equal([{ field: 'colour', message: 'should not exist' }]);
    await request(fx.app).get(`/products/${newId()}?minPosition=0`).expect(404);
  });

  it('lists products by name, filtered by category, status and price, paging with opaque cursors', async () => {
    const names = async (query: string) =>
      (
        (await request(fx.app).get(`/products?${query}`).expect(200)).body.items as {
          name: string;
        }[]
      ).map((p) => p.name);
    expect(await names('')).to.deep.equal(['Ashtray', 'Blue mug', 'Chair', 'Desk lamp', 'Teapot']);
    expect(await names('category=kitchen')).to.deep.equal(['Ashtray', 'Blue mug', 'Teapot']);
    expect(await names('category=kitchen&status=active')).to.deep.equal(['Blue mug', 'Teapot']);
    expect(await names('status=discontinued')).to.deep.equal(['Ashtray']);
    expect(await names('minPrice=900&maxPrice=12000')).to.deep.equal([
      'Blue mug',
      'Desk lamp',
      'Teapot',
    ]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(fx.app)
        .get(`/products?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      expect(res.body.items.length).to.be.at.most(2);
      seen.push(...res.body.items.map((p: { name: string }) => p.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).to.deep.equal(['Ashtray', 'Blue mug', 'Chair', 'Desk lamp', 'Teapot']);
  });

  it('searches text with name weighted above description, over active products only', async () => {
    const res = await request(fx.app).get('/products/search?q=blue').expect(200);
    expect(res.body.items.map((p: { sku: string }) => p.sku)).to.deep.equal(['MUG-1', 'POT-1']);
    expect(res.body.total).to.equal(2);
    expect(res.body.items[0].price).to.deep.equal({ amount: 900, currency: 'EUR' });
    expect(res.body.items[0].score).to.be.a('number');
    expect(res.headers['x-projection-position']).to.equal(
      await fx.documents.getCheckpoint('product-search'),
    );
  });

  it('filters by category, price range and stock, sorts every way and counts facets', async () => {
    const skus = async (query: string) =>
      (
        (await request(fx.app).get(`/products/search?${query}`).expect(200)).body.items as {
          sku: string;
        }[]
      ).map((p) => p.sku);
    expect(await skus('category=office&sort=price_asc')).to.deep.equal(['LMP-1', 'CHR-1']);
    expect(await skus('sort=price_desc')).to.deep.equal(['CHR-1', 'LMP-1', 'POT-1', 'MUG-1']);
    expect(await skus('sort=price_asc&minPrice=1000&maxPrice=20000')).to.deep.equal([
      'POT-1',
      'LMP-1',
    ]);
    expect(await skus('inStock=true&sort=price_asc')).to.deep.equal(['MUG-1', 'LMP-1']);
    expect(await skus('inStock=false&sort=price_asc')).to.deep.equal(['POT-1', 'CHR-1']);
    expect(await skus('sort=popularity')).to.have.members(['MUG-1', 'POT-1', 'LMP-1', 'CHR-1']);
    const all = (await request(fx.app).get('/products/search').expect(200)).body;
    expect(all.facets.category).to.deep.equal([
      { value: 'kitchen', count: 2 },
      { value: 'office', count: 2 },
    ]);
    const priced = Object.fromEntries(
      all.facets.price.map((b: { from: number | null; count: number }) => [
        String(b.from),
        b.count,
      ]),
    );
    expect(priced).to.deep.equal({
      null: 1,
      1000: 0,
      2500: 1,
      5000: 0,
      10000: 1,
      25000: 1,
      50000: 0,
    });
  });

  it('pages search results with its cursor, and refuses a cursor of another sort', async () => {
    const first = (await request(fx.app).get('/products/search?sort=price_asc&limit=3').expect(200))
      .body;
    expect(first.items).to.have.length(3);
    const rest = (
      await request(fx.app)
        .get(`/products/search?sort=price_asc&limit=3&cursor=${first.nextCursor}`)
        .expect(200)
    ).body;
    expect(rest.items.map((p: { sku: string }) => p.sku)).to.deep.equal(['CHR-1']);
    expect(rest.nextCursor).to.equal(null);
    const wrong = await request(fx.app)
      .get(`/products/search?sort=price_desc&cursor=${first.nextCursor}`)
      .expect(400);
    expect(wrong.body.errors[0].field).to.equal('cursor');
  });

  it('waits for minPosition until the read model has it, then answers with the new state', async () => {
    const changed = await cmd.changePrice(ids['MUG-1'] as string, 950);
    const pending = request(fx.app)
      .get(`/products/${ids['MUG-1']}`)
      .set('X-Min-Position', changed.position);
    const answered = pending.then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fx.project();
    const res = await answered;
    expect(res.status).to.equal(200);
    expect(res.body.price.amount).to.equal(950);
    expect(String(res.headers['x-projection-position']) >= changed.position).to.equal(true);
  });

  it('answers 503 with Retry-After when the read model does not reach minPosition in time', async () => {
    const fast = await openQueryFixture({ minPositionWaitMs: 100 });
    try {
      const created = await commandsOf(fast).createProduct({
        sku: 'X-1',
        name: 'X',
        category: 'c',
        amount: 1,
      });
      const started = Date.now();
      const res = await request(fast.app)
        .get(`/products/${created.id}?minPosition=${created.position}`)
        .expect(503);
      expect(Date.now() - started).to.be.within(90, 1500);
      expect(res.headers['retry-after']).to.equal('1');
      expect(res.body.detail).to.contain('products');
    } finally {
      await fast.close();
    }
  });
});
