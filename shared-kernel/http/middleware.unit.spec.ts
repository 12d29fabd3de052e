import 'reflect-metadata';
import { expect } from 'chai';
import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { IsOptional, IsString, ValidateNested, IsObject } from 'class-validator';
import { Type } from 'class-transformer';
import { PassThrough } from 'node:stream';
import { ConflictError, UnavailableError } from '../errors';
import { createLogger } from '../logging/logger';
import { currentContext } from '../logging/context';
import { correlation, identityOf } from './correlation';
import { problemErrorHandler, unknownRoute } from './error-handling';
import { IsBoundedInteger, IsStringRecord, IsText } from './field-rules';
import { jsonBody } from './json-body';
import { mountRoutes, type Method, type RouteSpec } from './routes';
import { validateDto } from './validate-dto';

class Inner {
  @IsBoundedInteger(1, 10) n!: number;
}
class Sample {
  @IsText(5) name!: string;
  @IsOptional() @IsText(20, { multiline: true }) note?: string;
  @IsObject() @ValidateNested() @Type(() => Inner) inner!: Inner;
  @IsOptional()
  @IsStringRecord({ maxEntries: 2, maxKeyLength: 3, maxValueLength: 3 })
  tags?: Record<string, string>;
  @IsOptional() @IsString() plain?: string;
}

function app() {
  const logger = createLogger({
    service: 't',
    level: 'error',
    format: 'json',
    stream: new PassThrough(),
  });
  const open = (method: Method, path: string, handler: RequestHandler): RouteSpec => ({
    method,
    path,
    handler,
    summary: path,
    access: { kind: 'public' },
    success: { status: 200, schema: {} },
  });
  const router = express.Router();
  mountRoutes(router, [
    open('post', '/things', async (req, res) => {
      const dto = await validateDto(Sample, req.body);
      res.json({ dto, identity: identityOf(res.locals), context: currentContext() });
    }),
    open('post', '/rule', () => Promise.reject(new ConflictError('some-rule', 'no'))),
    open('get', '/down', () => Promise.reject(new UnavailableError('db gone', 3))),
    open('get', '/bug', () => Promise.reject(new Error('secret internals'))),
  ]);
  return express()
    .use(correlation())
    .use(jsonBody(1024))
    .use(router)
    .use(unknownRoute)
    .use(problemErrorHandler(logger));
}

const valid = { name: 'abc', inner: { n: 3 } };

describe('shared HTTP middleware', () => {
  it('passes a valid body through as a DTO, with identity and logging context', async () => {
    const res = await request(app())
      .post('/things')
      .set('X-Correlation-Id', 'corr-1')
      .set('X-Actor', 'alice')
      .send(valid)
      .expect(200);
    expect(res.headers['x-correlation-id']).to.equal('corr-1');
    expect(res.body.dto).to.deep.equal(valid);
    expect(res.body.identity).to.deep.equal({ correlationId: 'corr-1', actor: 'alice' });
    expect(res.body.context.correlationId).to.equal('corr-1');
  });

  it('makes a correlation id when the offered one is unusable, and defaults the actor', async () => {
    const res = await request(app())
      .post('/things')
      .set('X-Correlation-Id', 'x'.repeat(129))
      .send(valid)
      .expect(200);
    expect(res.headers['x-correlation-id']).to.match(/^[0-9a-f-]{36}$/);
    expect(res.body.identity.actor).to.equal('anonymous');
  });

  it('refuses an unprintable X-Actor with a 400 naming the header', async () => {
    const res = await request(app()).post('/things').set('X-Actor', ' ').send(valid).expect(400);
    expect(res.body.errors[0].field).to.equal('X-Actor');
  });

  it('names every bad field, nested and unknown ones included, without implicit conversion', async () => {
    const res = await request(app())
      .post('/things')
      .send({
        name: 'toolong',
        inner: { n: '3', extra: 1 },
        tags: { a: 'b', c: 'd', e: 'f' },
        bogus: 1,
      })
      .expect(400);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).to.deep.equal(['bogus', 'inner.extra', 'inner.n', 'name', 'tags']);
    expect(res.body).to.include({ type: 'validation-failed', status: 400 });
  });

  it('refuses arrays, scalars, prototype keys and deep nesting', async () => {
    const a = app();
    await request(a).post('/things').send([valid]).expect(400);
    await request(a).post('/things').type('json').send('"text"').expect(400);
    const proto = await request(a)
      .post('/things')
      .type('json')
      .send('{"name":"abc","inner":{"n":1,"__proto__":{"x":1}}}')
      .expect(400);
    expect(proto.body.errors[0].field).to.equal('inner.__proto__');
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    await request(a)
      .post('/things')
      .send({ ...valid, plain: deep })
      .expect(400);
    await request(a)
      .post('/things')
      .send({ ...valid, note: 'line\nnext', name: 'a\u0007' })
      .expect(400)
      .then((res) =>
        expect(res.body.errors).to.deep.equal([
          { field: 'name', message: res.body.errors[0].message },
        ]),
      );
  });

  it('answers malformed JSON with 400, a big body with 413, a non-JSON body with 415', async () => {
    const a = app();
    const malformed = await request(a).post('/things').type('json').send('{"name": ').expect(400);
    expect(malformed.body.errors[0].field).to.equal('body');
    const big = await request(a)
      .post('/things')
      .send({ name: 'x'.repeat(1100) })
      .expect(413);
    expect(big.body.type).to.equal('payload-too-large');
    const text = await request(a).post('/things').type('text').send('name=abc').expect(415);
    expect(text.body.type).to.equal('unsupported-media-type');
  });

  it('renders rules, unavailability, unknown routes, wrong methods and bugs as problems', async () => {
    const a = app();
    const rule = await request(a).post('/rule').expect(409);
    expect(rule.body).to.deep.equal({
      type: 'some-rule',
      title: 'The request conflicts with a business rule',
      status: 409,
      detail: 'no',
    });
    const down = await request(a).get('/down').expect(503);
    expect(down.headers['retry-after']).to.equal('3');
    const unknown = await request(a).get('/nowhere').expect(404);
    expect(unknown.body.type).to.equal('not-found');
    const method = await request(a).delete('/things').expect(405);
    expect(method.headers.allow).to.equal('POST');
    const bug = await request(a).get('/bug').expect(500);
    expect(bug.body.detail).not.to.contain('secret');
  });
});
