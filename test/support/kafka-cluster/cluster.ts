import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '../redis-server';
import {
  SASL_USER,
  clusterId,
  kafkaClasspath,
  kafkaClusterUnavailable,
  log4jProperties,
  logTail,
  makeTlsMaterial,
  serverProperties,
  writeText,
  type NodePorts,
} from './broker-files';
import { childEnv } from '../../../shared-kernel/config/child-env';

/**
 * A real Apache Kafka cluster for tests: three combined broker+controller nodes (KRaft) on
 * loopback, free ports, its own temp directory, from the jars `make kafka-artifacts` fetched.
 * Every JVM runs under a small shell guard that SIGKILLs it when this process goes away, however
 * it goes (its stdin pipe closes), so no broker outlives the test run.
 */
export interface KafkaCluster {
  /** The plain listeners, `127.0.0.1:port`, node 1 first. */
  readonly brokers: string[];
  /** The SASL_SSL listeners (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 for `SASL_USER`). */
  readonly secureBrokers: string[];
  /** The PEM of the brokers' self-signed certificate, for a client's CA option. */
  readonly caFile: string;
  /** From the first JVM started to every broker answering, in ms. */
  readonly startupMs: number;
  readonly nodeIds: readonly number[];
  isRunning(nodeId: number): boolean;
  /** SIGKILL: no controlled shutdown, no leadership handed over. */
  kill(nodeId: number): Promise<void>;
  /** Starts a killed node again on its ports and data; resolves once it answers. */
  restart(nodeId: number): Promise<void>;
  /** SIGSTOP / SIGCONT every node: sockets stay open, nothing answers. */
  pause(): void;
  resume(): void;
  /** Each node's last log lines, for a failure message. */
  logs(): string;
  stop(): Promise<void>;
}

export { SASL_USER, kafkaClusterUnavailable };

const GUARD = [
  'exec 3<&0',
  '"$@" </dev/null >/dev/null 2>&1 &',
  'echo $!',
  'cat <&3 >/dev/null &',
  'wait -n',
  'kill -9 %1 %2 2>/dev/null',
  'wait',
].join('\n');

interface RunningNode {
  guard: ChildProcess;
  pid: number;
  exited: Promise<void>;
}

export async function startKafkaCluster({ timeoutMs = 180_000 } = {}): Promise<KafkaCluster> {
  const unavailable = kafkaClusterUnavailable();
  if (unavailable) throw new Error(`cannot start a Kafka cluster: ${unavailable}`);
  const root = mkdtempSync(path.join(os.tmpdir(), 'strata-kafka-'));
  const ports: NodePorts[] = [];
  for (const id of [1, 2, 3]) {
    ports.push({
      id,
      plain: await freePort(),
      secure: await freePort(),
      controller: await freePort(),
    });
  }
  const running = new Map<number, RunningNode>();
  const killAll = () => {
    for (const node of running.values()) signal(node.pid, 'SIGKILL');
  };
  const onExit = () => {
    killAll();
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  try {
    mkdirSync(path.join(root, 'tls'));
    const { caFile } = makeTlsMaterial(path.join(root, 'tls'));
    const log4j = writeText(path.join(root, 'log4j2.properties'), log4jProperties());
    const id = clusterId();
    const dirOf = (nodeId: number) => path.join(root, `node-${nodeId}`);
    const propsOf = (nodeId: number) => path.join(dirOf(nodeId), 'server.properties');
    await Promise.all(
      ports.map(async (node) => {
        mkdirSync(dirOf(node.id));
        writeText(propsOf(node.id), serverProperties(node, ports, dirOf(node.id)));
        await formatStorage(propsOf(node.id), id);
      }),
    );
    const launch = async (nodeId: number) => {
      running.set(nodeId, await startBroker(propsOf(nodeId), dirOf(nodeId), log4j));
    };
    const answers = async (address: string, deadline: number) => {
      while (!(await clusterAnswers([address], 1))) {
        if (Date.now() > deadline) throw new Error(`Kafka node at ${address} did not answer`);
        await sleep(250);
      }
    };
    const started = Date.now();
    await Promise.all(ports.map((node) => launch(node.id)));
    const brokers = ports.map((node) => `127.0.0.1:${node.plain}`);
    while (!(await clusterAnswers(brokers, ports.length))) {
      if (Date.now() - started > timeoutMs) throw new Error(`not up within ${timeoutMs} ms`);
      await sleep(250);
    }
    const startupMs = Date.now() - started;
    const logs = () => ports.map((n) => `--- node ${n.id} ---\n${logTail(dirOf(n.id))}`).join('\n');
    const signalAll = (name: NodeJS.Signals) => {
      for (const node of running.values()) signal(node.pid, name);
    };
    return {
      brokers,
      secureBrokers: ports.map((node) => `127.0.0.1:${node.secure}`),
      caFile,
      startupMs,
      nodeIds: ports.map((node) => node.id),
      isRunning: (nodeId) => running.has(nodeId),
      async kill(nodeId) {
        const node = running.get(nodeId);
        if (!node) return;
        running.delete(nodeId);
        signal(node.pid, 'SIGKILL');
        node.guard.ref(); // awaited now: keep the process alive until it has gone
        await node.exited;
      },
      async restart(nodeId) {
        if (running.has(nodeId)) return;
        await launch(nodeId);
        await answers(brokers[nodeId - 1] as string, Date.now() + timeoutMs);
      },
      pause: () => signalAll('SIGSTOP'),
      resume: () => signalAll('SIGCONT'),
      logs,
      async stop() {
        process.removeListener('exit', onExit);
        signalAll('SIGCONT');
        const exits = [...running.values()].map((node) => (node.guard.ref(), node.exited));
        killAll();
        running.clear();
        await Promise.all(exits);
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    const tails = ports.map((n) => logTail(path.join(root, `node-${n.id}`), 15)).join('\n---\n');
    onExit();
    process.removeListener('exit', onExit);
    throw new Error(`Kafka cluster failed to start: ${(error as Error).message}\n${tails}`, {
      cause: error,
    });
  }
}

/** A node that already died on its own has nothing left to signal. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // ESRCH: gone already.
  }
}

/** The JVM's environment: what it needs to run, nothing the test process was given. */
function jvmEnv(): Record<string, string> {
  return childEnv(process.env, { JAVA_HOME: process.env.JAVA_HOME });
}

/** Small heaps, serial GC and C1 only: start-up and CPU matter more than peak speed here. */
const JVM_FLAGS = [
  '-Xms128m',
  '-Xmx512m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
];

function formatStorage(properties: string, id: string): Promise<void> {
  const { username, password } = SASL_USER;
  const scram = (mechanism: string) => `${mechanism}=[name=${username},password=${password}]`;
  const args = [...JVM_FLAGS, '-cp', kafkaClasspath(), 'kafka.tools.StorageTool', 'format'];
  args.push('-t', id, '-c', properties);
  args.push('--add-scram', scram('SCRAM-SHA-256'), '--add-scram', scram('SCRAM-SHA-512'));
  return new Promise((resolve, reject) => {
    const child = spawn('java', args, { env: jvmEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`StorageTool format exited ${code}: ${output}`)),
    );
  });
}

function startBroker(properties: string, dir: string, log4j: string): Promise<RunningNode> {
  const java = [...JVM_FLAGS, `-Dkafka.logs.dir=${dir}`, `-Dlog4j2.configurationFile=${log4j}`];
  java.push('-cp', kafkaClasspath(), 'kafka.Kafka', properties);
  const guard = spawn('bash', ['-c', GUARD, 'kafka-guard', 'java', ...java], {
    env: jvmEnv(),
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => guard.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: guard.stdout! });
    lines.once('line', (line) => {
      lines.close();
      // The guard must not keep mocha alive; it dies with this process anyway (stdin closes).
      guard.unref();
      for (const stream of [guard.stdin, guard.stdout]) {
        (stream as unknown as { unref(): void }).unref();
      }
      resolve({ guard, pid: Number(line), exited });
    });
    guard.once('error', reject);
  });
}

/** True once the cluster metadata, asked of `brokers`, lists at least `count` brokers. */
async function clusterAnswers(brokers: string[], count: number): Promise<boolean> {
  const kafka = new Kafka({
    brokers,
    clientId: 'cluster-probe',
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const { brokers: listed } = await admin.describeCluster();
    return listed.length >= count;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
