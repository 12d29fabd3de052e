import { expect } from 'chai';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import request from 'supertest';
import { middlewareChain } from './middleware-chain';

/** An app whose only middleware is the chain, then a route and an error handler that say what ran. */
function appWith(handlers: RequestHandler[]) {
  const app = express();
  app.use(middlewareChain(handlers));
  app.get('/x', (_request, response) => {
    response.json({ ran: response.locals.ran as string[] });
  });
  const errors: ErrorRequestHandler = (error: Error, _request, response, _next) => {
    response.status(500).json({ ran: response.locals.ran as string[], error: error.message });
  };
  app.use(errors);
  return app;
}

const step =
  (name: string): RequestHandler =>
  (_request, response, next) => {
    response.locals.ran = [...((response.locals.ran as string[] | undefined) ?? []), name];
    next();
  };

describe('middlewareChain', () => {
  it('runs the handlers in order, then the routes', async () => {
    const answer = await request(appWith([step('a'), step('b'), step('c')]))
      .get('/x')
      .expect(200);
    expect(answer.body).to.deep.equal({ ran: ['a', 'b', 'c'] });
  });

  it('leaves for the error handler on next(error), a throw or a rejected promise, running nothing after', async () => {
    const failures: RequestHandler[] = [
      (_request, _response, next) => next(new Error('passed')),
      () => {
        throw new Error('thrown');
      },
      async () => {
        await Promise.resolve();
        throw new Error('rejected');
      },
    ];
    for (const failure of failures) {
      const answer = await request(appWith([step('a'), failure, step('never')]))
        .get('/x')
        .expect(500);
      expect(answer.body.ran).to.deep.equal(['a']);
      expect(answer.body.error).to.be.oneOf(['passed', 'thrown', 'rejected']);
    }
  });

  it('lets a handler answer without calling next', async () => {
    const answers: RequestHandler = (_request, response) => {
      response.status(204).end();
    };
    await request(appWith([step('a'), answers, step('never')]))
      .get('/x')
      .expect(204);
  });
});
