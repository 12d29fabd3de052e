import { expect } from 'chai';
import request from 'supertest';
import { openApiFixture, type ApiFixture } from './command-app.fixtures';
import { documentedRoutes, servedRoutes } from '../../shared-kernel/http/served-routes.fixtures';

interface Operation {
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
}

describe('command API: /openapi.json', () => {
  let f: ApiFixture;
  before(() => (f = openApiFixture()));
  after(() => f.close());

  it('documents every command route with its body schema, and each documented route is served', async () => {
    const res = await request(f.app).get('/openapi.json').expect(200);
    expect(res.body.openapi).to.equal('3.1.0');
    expect(documentedRoutes(res.body)).to.have.members(servedRoutes(f.app));
    const commands = Object.entries(
      res.body.paths as Record<string, Record<string, Operation>>,
    ).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody !== undefined)
        .map(([method, op]) => ({ method: method as 'post' | 'patch', path, op })),
    );
    expect(commands).to.have.length(10);
    for (const { method, path, op } of commands) {
      const ref = op.requestBody!.content['application/json']!.schema.$ref;
      const schema = ref.replace('#/components/schemas/', '');
      expect(res.body.components.schemas[schema], ref).to.be.an('object');
      // An empty body is refused by validation (400), never 404/405: the route exists.
      const url = path
        .replace('{id}', '0190c7c5-0000-7000-8000-000000000000')
        .replace('{sku}', 'NONE');
      const answer = await request(f.app)[method](url).send({ unknownField: 1 });
      expect(answer.status, `${method} ${url}`).to.equal(400);
    }
  });

  it('turns the field rules into JSON Schema limits', async () => {
    const { schemas } = (await request(f.app).get('/openapi.json')).body.components;
    expect(schemas.CreateProductDto.properties.name).to.deep.include({
      type: 'string',
      maxLength: 200,
    });
    expect(schemas.CreateProductDto.properties.attributes).to.deep.include({ maxProperties: 50 });
    expect(schemas.MoneyDto.properties.amount).to.deep.include({
      type: 'integer',
      minimum: 0,
      maximum: 1e12,
    });
    expect(schemas.MoneyDto.properties.currency).to.deep.include({ pattern: '^[A-Z]{3}$' });
    expect(schemas.PlaceOrderDto.properties.lines).to.deep.include({
      type: 'array',
      maxItems: 100,
      minItems: 1,
    });
    expect(schemas.PlaceOrderDto.properties.lines.items).to.deep.include({
      $ref: '#/components/schemas/OrderLineDto',
    });
    expect(schemas.CreateProductDto.required).to.include.members([
      'sku',
      'name',
      'category',
      'price',
    ]);
    expect(schemas.CreateProductDto.required).not.to.include('productId');
  });
});
