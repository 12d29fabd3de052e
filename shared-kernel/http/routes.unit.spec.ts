import { expect } from 'chai';
import request from 'supertest';
import { createMetricsRegistry } from '../metrics/registry';
import { openAuthentication } from './auth/access';
import { OPEN_ACCESS, type AccessOptions } from './auth/guards';
import { hs256Settings, quietLogger, signHs256 } from './auth/tokens.fixtures';
import { createApiApp } from './api-app';
import type { RouteSpec } from './routes';

const refunds: RouteSpec = {
  method: 'post',
  path: '/refunds',
  summary: 'Refund an order',
  access: { kind: 'role', role: 'orders:write' },
  success: { status: 200, schema: { type: 'object' } },
  handler: (_request, response) => void response.json({ refunded: true }),
};

function appWith(routes: RouteSpec[], access?: AccessOptions) {
  return createApiApp({
    access,
    routes,
    openApi: { title: 'test API', version: '1' },
    ready: async () => ({ status: 'ready' }),
    registry: createMetricsRegistry(),
    logger: quietLogger(),
  });
}

describe('route specs: one description per route, no route without an access rule', () => {
  it('serves, guards and documents a route from its one spec', async () => {
    const authentication = await openAuthentication(hs256Settings());
    const app = appWith([refunds], { ...OPEN_ACCESS, authentication });
    const bearer = async (roles: string[]) => `Bearer ${await signHs256({ roles })}`;
    await request(app).post('/refunds').expect(401);
    await request(app)
      .post('/refunds')
      .set('Authorization', await bearer(['catalog:write']))
      .expect(403);
    await request(app)
      .post('/refunds')
      .set('Authorization', await bearer(['orders:write']))
      .expect(200, { refunded: true });
    const document = (await request(app).get('/openapi.json').expect(200)).body;
    expect(document.paths['/refunds'].post.summary).to.equal('Refund an order');
    expect(Object.keys(document.paths)).to.have.members([
      '/refunds',
      '/livez',
      '/readyz',
      '/metrics',
      '/openapi.json',
    ]);
  });

  it('does not start with a route that has no access rule, naming the route', () => {
    const { access: _forgotten, ...unguarded } = refunds;
    expect(() => appWith([unguarded as RouteSpec])).to.throw(/POST \/refunds has no access rule/);
  });

  it('does not start with an access rule of an unknown kind', () => {
    const misspelt = { ...refunds, access: { kind: 'publik' } } as unknown as RouteSpec;
    expect(() => appWith([misspelt])).to.throw(
      /POST \/refunds has no access rule \(kind "publik"\)/,
    );
  });

  it('does not start with a route described twice', () => {
    expect(() => appWith([refunds, { ...refunds, summary: 'again' }])).to.throw(
      /POST \/refunds is described twice/,
    );
  });
});
