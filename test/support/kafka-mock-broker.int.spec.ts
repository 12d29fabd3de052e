import net from 'node:net';
import { expect } from 'chai';
import { skipOrFail } from './availability';
import { kcatInstalled, startKafkaMockBroker } from './kafka-mock-broker';

function accepts(address: string): Promise<boolean> {
  const [host, port] = address.split(':') as [string, string];
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('Kafka mock broker harness (kcat)', function () {
  this.timeout(20_000);

  it('says kcat is missing, and how to install it, when it is not on the PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const error = await startKafkaMockBroker().then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message)
        .to.contain('kcat is not installed')
        .and.contain('apt-get install kcat');
    } finally {
      process.env.PATH = path;
    }
  });

  it('serves on the address it printed, and stop() ends it even while paused', async function () {
    if (!kcatInstalled()) skipOrFail(this, 'kcat not installed', true);
    const broker = await startKafkaMockBroker();
    const address = broker.brokers[0]!;
    expect(address).to.match(/^127\.0\.0\.1:\d+$/);
    expect(await accepts(address)).to.equal(true);
    broker.pause();
    await broker.stop();
    expect(await accepts(address)).to.equal(false);
  });
});
