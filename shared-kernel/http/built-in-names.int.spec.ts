import { expect } from 'chai';
import request from 'supertest';
import { openQueryFixture, type QueryFixture } from '../../read-side/query-app.fixtures';
import { newId } from '../ids';

/**
 * Names every JavaScript object answers to (`toString`, `__proto__`, ...), taken from the
 * language itself: as data (product attributes) they are kept like any name; where an unknown
 * name is refused (body fields, query parameters) they are refused like `foo`.
 */
const BUILT_IN = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];
const NAMES = [...BUILT_IN, 'foo'];

const fieldsOf = (res: request.Response) =>
  ((res.body as { errors?: { field: string; message: string }[] }).errors ?? []).map(
    (e) => `${e.field}: ${e.message}`,
  );
/** A JSON body with `name` as an own key, whatever the name (an object literal would not do). */
const withKey = (base: object, name: string, value: unknown) => {
  const text = JSON.stringify(base);
  return `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${JSON.stringify(name)}:${JSON.stringify(value)}}`;
};

describe('built-in object member names: data where data is allowed, refused where unknown names are', () => {
  let fx: QueryFixture;
  before(async () => (fx = await openQueryFixture()));
  after(() => fx.close());

  const product = () => ({
    sku: `BI-${newId().slice(-8)}`,
    name: 'Lamp',
    category: 'home',
    price: { amount: 900, currency: 'EUR' },
  });

  it('keeps every such name as a product attribute, through the event, the read model and the audit', async () => {
    const attributes = Object.fromEntries(BUILT_IN.map((name, i) => [name, `value-${i}`]));
    const body = JSON.stringify({ ...product(), attributes });
    const created = await request(fx.commands)
      .post('/products')
      .set('content-type', 'application/json')
      .send(body);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const id = created.body.id as string;
    const changed = Object.fromEntries(BUILT_IN.map((name) => [name, `changed ${name}`]));
    await request(fx.commands)
      .patch(`/products/${id}`)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ attributes: changed }))
      .expect(200);
    await fx.project();

    const events = [];
    for await (const event of fx.events.readStream(`product-${id}`)) events.push(event);
    const stored = (events[0]!.data as { attributes: object }).attributes;
    expect(Object.keys(stored)).to.have.members(BUILT_IN);
    const read = await request(fx.app).get(`/products/${id}`).expect(200);
    expect(Object.entries(read.body.attributes as object)).to.deep.equal(Object.entries(changed));
    const diff = await request(fx.app)
      .get(`/audit/product/${id}/diff?fromVersion=0&toVersion=1`)
      .expect(200);
    const paths = (diff.body.changes as { path: string; before: unknown }[]).map((c) => c.path);
    expect(paths).to.have.length(BUILT_IN.length);
    for (const change of diff.body.changes as { before: unknown }[]) {
      expect(change.before).to.be.a('string');
    }
  });

  it('refuses each as an unknown body field, at the top and nested, exactly as it refuses foo', async () => {
    const answers: Record<string, string[]> = {};
    for (const name of NAMES) {
      const top = await request(fx.commands)
        .post('/products')
        .set('content-type', 'application/json')
        .send(withKey(product(), name, 'x'));
      const base = product();
      const nested = JSON.stringify({ ...base, price: '@' }).replace(
        '"@"',
        withKey(base.price, name, 1),
      );
      const inner = await request(fx.commands)
        .post('/products')
        .set('content-type', 'application/json')
        .send(nested);
      expect([top.status, inner.status], name).to.deep.equal([400, 400]);
      answers[name] = [...fieldsOf(top), ...fieldsOf(inner)];
    }
    for (const name of BUILT_IN) {
      expect(answers[name], name).to.deep.equal(
        answers.foo!.map((line) => line.replace(/foo/g, name)),
      );
    }
    expect(answers.foo).to.deep.equal(['foo: should not exist', 'price.foo: should not exist']);
  });

  it('refuses each as an unknown query parameter, exactly as it refuses foo', async () => {
    const answers: Record<string, string[]> = {};
    for (const name of NAMES) {
      const q = `${encodeURIComponent(name)}=1`;
      const listed = await request(fx.app).get(`/products?${q}`);
      const one = await request(fx.app).get(`/products/${newId()}?${q}`);
      expect([listed.status, one.status], name).to.deep.equal([400, 400]);
      answers[name] = [...fieldsOf(listed), ...fieldsOf(one)];
    }
    for (const name of BUILT_IN) {
      expect(answers[name], name).to.deep.equal(
        answers.foo!.map((line) => line.replace(/foo/g, name)),
      );
    }
  });
});
