import { expect } from 'chai';
import request from 'supertest';
import { openApiFixture, type ApiFixture } from './command-app.fixtures';
import { COMMAND_OPERATIONS } from './openapi';

describe('command API: /openapi.json', () => {
  let f: ApiFixture;
  before(() => (f = openApiFixture()));
  after(() => f.close());

  it('documents every command route with its body schema, and each documented route is served', async () => {
    const res = await request(f.app).get('/openapi.json').expect(200);
    expect(res.body.openapi).to.equal('3.1.0');
    expect(Object.keys(res.body.paths)).to.have.length(10);
    for (const op of COMMAND_OPERATIONS) {
      const documented = res.body.paths[op.path.replace(/:([a-z]+)/g, '{$1}')][op.method];
      expect(documented.requestBody.content['application/json'].schema.$ref).to.equal(
        `#/components/schemas/${op.requestBody}`,
      );
      expect(res.body.components.schemas[op.requestBody!], op.requestBody).to.be.an('object');
      // An empty body is refused by validation (400), never 404/405: the route exists.
      const path = op.path
        .replace(':id', '0190c7c5-0000-7000-8000-000000000000')
        .replace(':sku', 'NONE');
      const answer = await request(f.app)[op.method](path).send({ unknownField: 1 });
      expect(answer.status, `${op.method} ${path}`).to.equal(400);
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
