import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { openLruCache } from '../cache/lru-cache';
import { createQueryApp } from '../../read-side/app';
import { openQueryFixture, type QueryFixture } from '../../read-side/query-app.fixtures';
import { openAuthentication } from './auth/access';
import {
  openCommandAccessFixture,
  type CommandAccessFixture,
} from './auth/command-access.fixtures';
import { OPEN_ACCESS } from './auth/guards';
import { hs256Settings, quietLogger, signHs256 } from './auth/tokens.fixtures';
import { servedRoutes } from './served-routes.fixtures';

/** Percent-escapes that no decoder accepts: bad hex, cut short, a lone %, an overlong form. */
const MALFORMED = ['%ZZ', '%E0%A4%A', '%', '%C0%80', 'x%2'];

/**
 * Every path an app serves, each `:param` (or, for a path without one, its last segment) made
 * into each malformed escape: derived from the router itself, so a new route is covered too.
 */
function malformedRequests(app: Express): Array<{ method: string; path: string }> {
  return servedRoutes(app).flatMap((entry) => {
    const [method, template] = entry.split(' ') as [string, string];
    return MALFORMED.map((bad) => {
      const path = template.includes(':')
        ? template.replace(/:[A-Za-z]+/g, bad)
        : `${template.replace(/\/$/, '')}${bad}`;
      return { method, path };
    });
  });
}

async function expectAll400(app: Express, authorization: string | null): Promise<void> {
  const wrong: string[] = [];
  const requests = malformedRequests(app);
  expect(requests.length).to.be.greaterThan(20);
  for (const { method, path } of requests) {
    let req = request(app)[method as 'get' | 'post' | 'patch'](path);
    if (authorization) req = req.set('Authorization', authorization);
    const res = method === 'get' ? await req : await req.send({});
    const fields = (res.body as { errors?: { field: string }[] }).errors?.map((e) => e.field);
    const problem = /^application\/problem\+json/.test(res.headers['content-type'] ?? '');
    if (res.status !== 400 || !problem || fields?.[0] !== 'path') {
      wrong.push(`${method.toUpperCase()} ${path} -> ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  expect(wrong, wrong.join('\n')).to.deep.equal([]);
}

describe('a malformed percent-escape in any path is a 400 problem, for every route and caller', () => {
  let commands: CommandAccessFixture;
  let queryFixture: QueryFixture;
  let queries: Express;
  const bearer = async (roles: string[]) => `Bearer ${await signHs256({ subject: 'c-1', roles })}`;

  before(async () => {
    commands = await openCommandAccessFixture(hs256Settings());
    queryFixture = await openQueryFixture();
    queries = createQueryApp({
      documents: queryFixture.documents,
      search: queryFixture.search,
      cache: openLruCache(),
      watcher: queryFixture.watcher,
      logger: quietLogger(),
      cacheTtlMs: 60_000,
      minPositionWaitMs: 200,
      access: { ...OPEN_ACCESS, authentication: await openAuthentication(hs256Settings()) },
    });
  });
  after(async () => {
    await commands.close();
    await queryFixture.close();
  });

  for (const role of ['customer', 'orders:write', 'catalog:write', 'auditor']) {
    it(`command and query API with a ${role} token`, async () => {
      const token = await bearer([role]);
      await expectAll400(commands.app, token);
      await expectAll400(queries, token);
    });
  }

  it('without a token (tokens configured), and with the APIs open', async () => {
    await expectAll400(commands.app, null);
    await expectAll400(queries, null);
    await expectAll400(queryFixture.commands, null);
    await expectAll400(queryFixture.app, null);
  });
});
