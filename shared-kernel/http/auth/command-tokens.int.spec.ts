import { expect } from 'chai';
import request from 'supertest';
import { newId } from '../../ids';
import { openCommandAccessFixture, type CommandAccessFixture } from './command-access.fixtures';
import {
  es256Keys,
  hs256Settings,
  signEs256,
  signHs256,
  unsignedToken,
  type EcKeys,
} from './tokens.fixtures';

const CATALOG = { subject: 'cat-1', roles: ['catalog:write'] };
const newProduct = () => ({
  sku: `TOK-${newId().slice(-8)}`,
  name: 'Mug',
  category: 'kitchen',
  price: { amount: 500, currency: 'EUR' },
});

/** Posts a new product with this Authorization header; checks nothing was appended on refusal. */
async function createWith(fx: CommandAccessFixture, authorization: string | null) {
  const before = await fx.eventCount();
  let req = request(fx.app).post('/products').set('X-Actor', 'mallory');
  if (authorization !== null) req = req.set('Authorization', authorization);
  const res = await req.send(newProduct());
  const appended = (await fx.eventCount()) - before;
  if (res.status >= 400) expect(appended, 'a refused command appends nothing').to.equal(0);
  return res;
}

describe('command API tokens', () => {
  describe('HS256', () => {
    let fx: CommandAccessFixture;
    before(async () => {
      fx = await openCommandAccessFixture(hs256Settings());
    });
    after(async () => fx.close());

    it('records the token subject as the actor and ignores X-Actor', async () => {
      const res = await createWith(fx, `Bearer ${await signHs256(CATALOG)}`);
      expect(res.status).to.equal(201);
      const events = await fx.base.streamEvents(`product-${res.body.id}`);
      expect(events.map((e) => e.metadata.actor)).to.deep.equal(['cat-1']);
    });

    const refusals: Array<[string, () => Promise<string | null>, RegExp]> = [
      ['no Authorization header', async () => null, /^Bearer realm="strata"$/],
      ['alg none', async () => `Bearer ${unsignedToken(CATALOG)}`, /invalid_token/],
      [
        'a wrong key',
        async () => `Bearer ${await signHs256(CATALOG, 'another-secret-of-32-bytes-or-more!')}`,
        /invalid_token/,
      ],
      [
        'a wrong audience',
        async () => `Bearer ${await signHs256({ ...CATALOG, audience: 'billing' })}`,
        /invalid_token/,
      ],
      [
        'a wrong issuer',
        async () => `Bearer ${await signHs256({ ...CATALOG, issuer: 'https://x' })}`,
        /invalid_token/,
      ],
      [
        'an expired token',
        async () => `Bearer ${await signHs256({ ...CATALOG, expiresIn: -600 })}`,
        /expired/,
      ],
      [
        'nbf in the future',
        async () => `Bearer ${await signHs256({ ...CATALOG, notBeforeIn: 600 })}`,
        /invalid_token/,
      ],
      [
        'an ES256 token',
        async () => `Bearer ${await signEs256(await es256Keys(), CATALOG)}`,
        /invalid_token/,
      ],
      ['garbage', async () => 'Bearer garbage', /invalid_token/],
      ['another scheme', async () => 'Basic YWxpY2U6c2VjcmV0', /invalid_token/],
      ['Bearer without a token', async () => 'Bearer ', /invalid_token/],
      [
        'two tokens',
        async () => `Bearer ${await signHs256(CATALOG)} ${await signHs256(CATALOG)}`,
        /invalid_token/,
      ],
    ];
    for (const [name, header, challenge] of refusals) {
      it(`answers ${name} with 401 problem+json and a challenge, appending nothing`, async () => {
        const res = await createWith(fx, await header());
        expect(res.status).to.equal(401);
        expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
        expect(res.body.type).to.equal('unauthorized');
        expect(res.headers['www-authenticate']).to.match(challenge);
        expect(res.headers['x-correlation-id']).to.be.a('string');
      });
    }

    it('serves the probes and the API description without a token', async () => {
      await request(fx.app).get('/livez').expect(200);
      await request(fx.app).get('/readyz').expect(200);
      await request(fx.app).get('/openapi.json').expect(200);
    });
  });

  describe('ES256 with a PEM public key', () => {
    let keys: EcKeys;
    let fx: CommandAccessFixture;
    before(async () => {
      keys = await es256Keys();
      fx = await openCommandAccessFixture(
        hs256Settings({ algorithm: 'ES256', key: { kind: 'public-key', pem: keys.publicPem } }),
      );
    });
    after(async () => fx.close());

    it('accepts a token of the key pair', async () => {
      expect((await createWith(fx, `Bearer ${await signEs256(keys, CATALOG)}`)).status).to.equal(
        201,
      );
    });

    it('refuses another key pair, and the public key used as an HMAC secret', async () => {
      const other = await signEs256(await es256Keys(), CATALOG);
      expect((await createWith(fx, `Bearer ${other}`)).status).to.equal(401);
      const confused = await signHs256(CATALOG, keys.publicPem);
      expect((await createWith(fx, `Bearer ${confused}`)).status).to.equal(401);
    });
  });

  describe('open (no key configured)', () => {
    let fx: CommandAccessFixture;
    before(async () => {
      fx = await openCommandAccessFixture({ mode: 'open' });
    });
    after(async () => fx.close());

    it('takes the actor from X-Actor and reports the warning on /readyz', async () => {
      const res = await createWith(fx, null);
      expect(res.status).to.equal(201);
      const events = await fx.base.streamEvents(`product-${res.body.id}`);
      expect(events.map((e) => e.metadata.actor)).to.deep.equal(['mallory']);
      const ready = await request(fx.app).get('/readyz').expect(200);
      expect(ready.body.warnings[0]).to.match(/^authentication is off/);
    });

    it('ignores a token it cannot check rather than trusting its subject', async () => {
      const res = await createWith(fx, `Bearer ${await signHs256({ subject: 'eve' })}`);
      const events = await fx.base.streamEvents(`product-${res.body.id}`);
      expect(events.map((e) => e.metadata.actor)).to.deep.equal(['mallory']);
    });
  });
});
