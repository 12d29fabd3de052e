import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  ADDRESS,
  openCommandAccessFixture,
  type CommandAccessFixture,
} from '../../shared-kernel/http/auth/command-access.fixtures';
import { hs256Settings, signHs256 } from '../../shared-kernel/http/auth/tokens.fixtures';
import { newId } from '../../shared-kernel/ids';
import { expectProblem, openApiFixture, type ApiFixture } from './command-app.fixtures';

/** A POST from a chosen loopback address (all of 127.0.0.0/8 is this machine on Linux). */
function postFrom(
  base: string,
  localAddress: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; replayed: boolean; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      `${base}${path}`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } },
      (incoming) => {
        let text = '';
        incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            replayed: incoming.headers['idempotent-replayed'] === 'true',
            body: text,
          }),
        );
      },
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

const placed = async (f: { allEvents(): Promise<{ type: string }[]> }) =>
  (await f.allEvents()).filter((e) => e.type === 'OrderPlaced').length;

describe('command API: an Idempotency-Key belongs to its caller (tokens)', () => {
  let fx: CommandAccessFixture;
  before(async () => (fx = await openCommandAccessFixture(hs256Settings())));
  after(() => fx.close());

  const order = async (customerId: string) => {
    const { productId } = await fx.stocked();
    return { customerId, lines: [{ productId, quantity: 1 }], shippingAddress: ADDRESS };
  };
  const bearer = async (subject: string, roles: string[]) =>
    `Bearer ${await signHs256({ subject, roles })}`;

  it("a customer reusing another customer's key places its own order, and learns nothing", async () => {
    const key = `checkout-${newId()}`;
    const [alice, bob] = [newId(), newId()];
    const send = async (customer: string) =>
      request(fx.app)
        .post('/orders')
        .set('Authorization', await bearer(customer, ['customer']))
        .set('Idempotency-Key', key)
        .send(await order(customer));
    const before = await placed(fx.base);
    expect((await send(alice)).status).to.equal(201);
    const theirs = await send(bob);
    expect(theirs.status, JSON.stringify(theirs.body)).to.equal(201);
    expect(theirs.headers['idempotent-replayed']).to.equal(undefined);
    expect(await placed(fx.base)).to.equal(before + 2);
  });

  it('two clerks sending one key and one body each get their own command run', async () => {
    const key = `clerk-${newId()}`;
    const body = await order(newId());
    const answers = [];
    for (const clerk of ['clerk-1', 'clerk-2']) {
      answers.push(
        await request(fx.app)
          .post('/orders')
          .set('Authorization', await bearer(clerk, ['orders:write']))
          .set('Idempotency-Key', key)
          .send(body),
      );
    }
    const ids = answers.map((a) => a.body.id as string);
    for (const answer of answers) expect(answer.status).to.equal(201);
    expect(answers[1]!.headers['idempotent-replayed']).to.equal(undefined);
    expect(new Set(ids).size).to.equal(2);
  });
});

describe('command API: "the same request" for an Idempotency-Key', () => {
  let f: ApiFixture;
  let server: http.Server;
  let base: string;
  beforeEach(async () => {
    f = openApiFixture();
    server = http.createServer(f.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await f.close();
  });

  it('without tokens a key belongs to the client address: another address runs its own command', async () => {
    const productId = await f.product();
    const body = JSON.stringify({
      customerId: newId(),
      lines: [{ productId, quantity: 1 }],
      shippingAddress: ADDRESS,
    });
    const headers = { 'idempotency-key': `open-${newId()}` };
    const first = await postFrom(base, '127.0.0.1', '/orders', headers, body);
    const again = await postFrom(base, '127.0.0.1', '/orders', headers, body);
    const elsewhere = await postFrom(base, '127.0.0.2', '/orders', headers, body);
    expect([first.status, again.status, elsewhere.status]).to.deep.equal([201, 201, 201]);
    expect(again.replayed).to.equal(true);
    expect(again.body).to.equal(first.body);
    expect(elsewhere.replayed).to.equal(false);
    expect(await placed(f)).to.equal(2);
  });

  it('does not depend on the order of the JSON keys', async () => {
    const sku = `ORD-${newId().slice(-8)}`;
    const fields: Array<[string, unknown]> = [
      ['sku', sku],
      ['name', 'Mug'],
      ['category', 'kitchen'],
      ['price', { amount: 500, currency: 'EUR' }],
    ];
    const reversed = [...fields].reverse();
    const raw = (entries: Array<[string, unknown]>) => JSON.stringify(Object.fromEntries(entries));
    const headers = { 'idempotency-key': `order-${newId()}` };
    const first = await postFrom(base, '127.0.0.1', '/products', headers, raw(fields));
    const again = await postFrom(base, '127.0.0.1', '/products', headers, raw(reversed));
    expect(first.status).to.equal(201);
    expect(again.status, again.body).to.equal(201);
    expect(again.replayed).to.equal(true);
    expect(again.body).to.equal(first.body);
  });

  it('counts If-Match: a corrected precondition is another request, not the old 412', async () => {
    const id = await f.product();
    const key = `patch-${newId()}`;
    const patch = (ifMatch: string) =>
      request(f.app)
        .patch(`/products/${id}`)
        .set('Idempotency-Key', key)
        .set('If-Match', ifMatch)
        .send({ name: 'Big kettle' });
    expectProblem(await patch('"7"'), 412);
    const same = await patch('"7"');
    expectProblem(same, 412);
    expect(same.headers['idempotent-replayed']).to.equal('true');
    expectProblem(await patch('"0"'), 422, 'idempotency-key-reused');
    const count = await f.eventCount();
    await request(f.app)
      .patch(`/products/${id}`)
      .set('Idempotency-Key', `patch-${newId()}`)
      .set('If-Match', '"0"')
      .send({ name: 'Big kettle' })
      .expect(200);
    expect(await f.eventCount()).to.equal(count + 1);
  });
});
