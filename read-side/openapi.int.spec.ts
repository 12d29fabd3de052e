import { expect } from 'chai';
import request from 'supertest';
import { documentedRoutes, servedRoutes } from '../shared-kernel/http/served-routes.fixtures';
import { openQueryFixture, type QueryFixture } from './query-app.fixtures';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: string;
}

describe('query API: /openapi.json', () => {
  let f: QueryFixture;
  let doc: { openapi: string; paths: Record<string, Record<string, { parameters: Parameter[] }>> };
  before(async () => {
    f = await openQueryFixture();
    doc = (await request(f.app).get('/openapi.json').expect(200)).body;
  });
  after(() => f.close());

  it('is OpenAPI 3.1 and documents exactly the routes the app serves', () => {
    expect(doc.openapi).to.equal('3.1.0');
    const served = servedRoutes(f.app);
    expect(served).to.have.length.greaterThan(10);
    expect(documentedRoutes(doc)).to.have.members(served);
  });

  it('turns each query DTO field into a typed query parameter with an example (cursors excepted)', () => {
    const search = doc.paths['/products/search']!.get!.parameters;
    expect(search.map((p) => p.name)).to.include.members([
      'q',
      'sort',
      'minPrice',
      'limit',
      'cursor',
    ]);
    const diff = doc.paths['/audit/{type}/{id}/diff']!.get!.parameters;
    expect(diff.find((p) => p.name === 'fromVersion')).to.include({ in: 'query', required: true });
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const p of ops.get?.parameters ?? []) {
        if (p.in === 'header') continue;
        // A cursor is only ever valid as the nextCursor of a previous page: no example can be.
        if (p.name === 'cursor') expect(p.example, path).to.equal(undefined);
        else expect(p.example, `${path} ${p.name}`).to.be.a('string');
      }
    }
  });

  it('accepts a request built from the examples of every route (never a 400)', async () => {
    let requests = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      const parameters = ops.get?.parameters ?? [];
      let url = path;
      for (const p of parameters.filter((q) => q.in === 'path')) {
        url = url.replace(`{${p.name}}`, encodeURIComponent(p.example!));
      }
      const query = parameters.filter((p) => p.in === 'query' && p.example !== undefined);
      const required = query.filter((p) => p.required);
      const optional = query.filter((p) => !p.required);
      // Each optional example once, with the required ones (some routes want exactly one of two).
      const sets = optional.length === 0 ? [required] : optional.map((p) => [...required, p]);
      for (const set of sets) {
        const search = new URLSearchParams(
          set.map((p): [string, string] => [p.name, p.example!]),
        ).toString();
        const target = search ? `${url}?${search}` : url;
        const answer = await request(f.app).get(target);
        requests++;
        expect(answer.status, `${target}: ${answer.text}`).to.be.oneOf([200, 404]);
      }
    }
    expect(requests).to.be.greaterThan(25);
  });
});
