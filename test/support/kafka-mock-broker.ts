import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { childEnv } from '../../shared-kernel/config/child-env';

/**
 * A real Kafka-protocol broker for tests: librdkafka's mock cluster, hosted by a `kcat` consumer
 * (docs/integration-events.md says why). It keeps data in memory and auto-creates a topic (4 partitions) on the
 * first metadata request naming it; its controller is not addressable, so admin createTopics
 * fails there. Pausing the process (SIGSTOP) freezes the broker with its sockets open, which
 * is the nastiest failure a client sees: requests are accepted and never answered.
 */
export interface KafkaMockBroker {
  /** `host:port` of its single broker. */
  readonly brokers: string[];
  pause(): void;
  resume(): void;
  /** Kills it (resuming first if paused); resolves once it has exited. */
  stop(): Promise<void>;
}

export function kcatInstalled(): boolean {
  const probe = spawnSync('kcat', ['-V'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

const BOOTSTRAP = /bootstrap\.servers=(\S+)|replaced with (\S+:\d+)/;

export async function startKafkaMockBroker(
  keepaliveTopic = 'strata.mock.keepalive',
): Promise<KafkaMockBroker> {
  if (!kcatInstalled()) {
    throw new Error('kcat is not installed (apt-get install kcat); it hosts the Kafka mock broker');
  }
  const args = ['-b', 'localhost:1', '-X', 'test.mock.num.brokers=1', '-d', 'mock'];
  const child = spawn('kcat', [...args, '-C', '-t', keepaliveTopic], {
    env: childEnv(process.env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // If the test process dies first, the broker must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = await bootstrapAddress(child);
  let paused = false;
  const broker: KafkaMockBroker = {
    brokers: [address],
    pause() {
      child.kill('SIGSTOP');
      paused = true;
    },
    resume() {
      child.kill('SIGCONT');
      paused = false;
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (paused) broker.resume();
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
  return broker;
}

/** Reads stderr until the address shows, then keeps draining it so the pipe never fills. */
function bootstrapAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let found = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat mock broker printed no address within 10 s: ${seen.slice(-2000)}`));
    }, 10_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start kcat: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!found) reject(new Error(`kcat exited (${code ?? signal}): ${seen.slice(-2000)}`));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (found) return;
      seen += chunk.toString();
      const match = BOOTSTRAP.exec(seen);
      const address = match?.[1] ?? match?.[2];
      if (address) {
        found = true;
        clearTimeout(timer);
        resolve(address);
      }
    });
  });
}

/** One record as `kcat -J` prints it; headers come as a flat [name, value, ...] list. */
export interface KcatRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

/** Everything in `topic` from the beginning, read by a separate client (kcat), then exits. */
export function readTopicWithKcat(brokers: string[], topic: string): Promise<KcatRecord[]> {
  return new Promise((resolve, reject) => {
    const args = ['-C', '-J', '-b', brokers.join(','), '-t', topic, '-o', 'beginning', '-e', '-q'];
    const child = spawn('kcat', args, {
      env: childEnv(process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`kcat -C ${topic} exited ${code}: ${err.trim()}`));
      const lines = Buffer.concat(out).toString().split('\n');
      resolve(lines.filter((line) => line.startsWith('{')).map((l) => JSON.parse(l) as KcatRecord));
    });
  });
}

/** Headers of a kcat record as an object (a repeated name keeps its last value). */
export function kcatHeaders(record: KcatRecord): Record<string, string> {
  const headers: Record<string, string> = {};
  const list = record.headers ?? [];
  for (let i = 0; i + 1 < list.length; i += 2) headers[list[i] as string] = list[i + 1] as string;
  return headers;
}
