import { expect } from 'chai';
import { runningSystem, type RunningSystem } from '../support/running-system';

/** What an operator's probes and typos meet, the same on the three processes. */
describe('probes and unknown paths on every process (e2e)', function () {
  this.timeout(60_000);
  let system: RunningSystem;
  const bases: Record<string, string> = {};

  before(async () => {
    system = runningSystem();
    for (const name of ['command', 'query', 'worker'] as const) {
      bases[name] = (await system.start(name)).base;
    }
  });
  after(() => system.stopAll());

  it('answers /livez with one body everywhere', async () => {
    const bodies = await Promise.all(
      Object.values(bases).map(async (base) => {
        const response = await fetch(`${base}/livez`);
        expect(response.status).to.equal(200);
        return response.json();
      }),
    );
    expect(bodies).to.deep.equal([{ status: 'up' }, { status: 'up' }, { status: 'up' }]);
  });

  it('answers a path no route serves with a 404 problem document, the worker too', async () => {
    for (const [name, base] of Object.entries(bases)) {
      const response = await fetch(`${base}/no-such-path`);
      expect(response.status, name).to.equal(404);
      expect(response.headers.get('content-type'), name).to.match(/^application\/problem\+json/);
      expect(await response.json(), name).to.include({
        status: 404,
        detail: 'no route for GET /no-such-path',
      });
    }
  });
});
