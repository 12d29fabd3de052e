import { expect } from 'chai';
import request from 'supertest';
import { openQueryFixture, type QueryFixture } from '../../read-side/query-app.fixtures';
import { openApiFixture } from '../../write-side/api/command-app.fixtures';
import { newId } from '../ids';

const FLOOD = 300;

interface Line {
  level: string;
  message: string;
  stack?: unknown;
  error?: unknown;
  suppressed?: number;
}

/** The lines logged since `from`, parsed. */
const linesSince = (fx: QueryFixture, from: number): Line[] =>
  fx.logLines.slice(from).map((line) => JSON.parse(line) as Line);

const withStack = (line: Line) => /\n\s+at /.test(JSON.stringify(line));

describe('client-caused answers log at most warn, without stacks, sampled', function () {
  this.timeout(60_000);
  let fx: QueryFixture;
  before(async () => (fx = await openQueryFixture({ minPositionWaitMs: 5 })));
  after(() => fx.close());

  it(`${FLOOD} reads waiting for an unreachable X-Min-Position: 503s, and a bounded few warn lines`, async () => {
    const from = fx.logLines.length;
    for (let i = 0; i < FLOOD; i += 1) {
      await request(fx.app)
        .get(`/products/${newId()}`)
        .set('X-Min-Position', 'ffffffffffffffff')
        .expect(503);
    }
    const lines = linesSince(fx, from);
    expect(lines.filter((l) => l.level === 'error')).to.deep.equal([]);
    expect(lines.filter(withStack)).to.deep.equal([]);
    const warned = lines.filter((l) => l.level === 'warn');
    expect(warned.length).to.be.within(1, 3);
    expect(warned[0]!.message).to.match(/answered 503/);
  });

  it(`${FLOOD} bad commands (400, 404) write a bounded few debug lines, even at debug level`, async () => {
    const api = openApiFixture();
    try {
      const from = api.logLines.length;
      for (let i = 0; i < FLOOD; i += 1) {
        await request(api.app).post('/products').send({ sku: '' }).expect(400);
        await request(api.app).post(`/products/${newId()}/discontinue`).expect(404);
      }
      const lines = api.logLines.slice(from).map((line) => JSON.parse(line) as Line);
      expect(lines.length).to.be.within(2, 4);
      expect(lines.filter((l) => l.level !== 'debug' || withStack(l))).to.deep.equal([]);
    } finally {
      await api.close();
    }
  });
});
