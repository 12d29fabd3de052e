import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where `make kafka-artifacts` puts the broker's jars (an ignored folder of the clone). */
export const KAFKA_LIBS = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '.build',
  'kafka',
  'libs',
);

/** The SASL user every broker knows, for PLAIN and both SCRAM mechanisms. */
export const SASL_USER = { username: 'strata', password: 'strata-test-secret' } as const;

/** Why the real cluster cannot start here, or null when it can. */
export function kafkaClusterUnavailable(): string | null {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.error !== undefined || java.status !== 0) return 'java is not installed (Java 17+)';
  if (!existsSync(path.join(KAFKA_LIBS, '.complete'))) {
    return `the Kafka broker jars are not in ${KAFKA_LIBS} (run \`make kafka-artifacts\`)`;
  }
  return null;
}

export interface NodePorts {
  id: number;
  /** Plain listener: what the specs connect to. */
  plain: number;
  /** SASL over TLS, for the publisher's TLS and SASL options. */
  secure: number;
  controller: number;
}

/**
 * One combined broker+controller of a three-voter KRaft quorum. Sized for a shared 2-core box:
 * few threads, few internal partitions, and leaders moved back to their preferred broker within
 * seconds of a restart (the default check runs every 5 minutes).
 */
export function serverProperties(node: NodePorts, all: readonly NodePorts[], dir: string): string {
  const voters = all.map((n) => `${n.id}@127.0.0.1:${n.controller}`).join(',');
  const keystore = path.join(dir, '..', 'tls', 'broker.p12');
  const scramModule = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  const { username, password } = SASL_USER;
  return [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `controller.quorum.voters=${voters}`,
    `listeners=PLAINTEXT://127.0.0.1:${node.plain},SASL_SSL://127.0.0.1:${node.secure},CONTROLLER://127.0.0.1:${node.controller}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${node.plain},SASL_SSL://127.0.0.1:${node.secure}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
    `ssl.keystore.location=${keystore}`,
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.password=${KEYSTORE_PASSWORD}`,
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${username}="${password}";`,
    `listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=${scramModule}`,
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${scramModule}`,
    `log.dirs=${path.join(dir, 'data')}`,
    'num.partitions=3',
    'default.replication.factor=3',
    'min.insync.replicas=2',
    'offsets.topic.replication.factor=3',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=3',
    'transaction.state.log.min.isr=2',
    'transaction.state.log.num.partitions=3',
    'group.initial.rebalance.delay.ms=0',
    'auto.leader.rebalance.enable=true',
    'leader.imbalance.check.interval.seconds=5',
    'leader.imbalance.per.broker.percentage=0',
    'num.network.threads=2',
    'num.io.threads=2',
    'num.recovery.threads.per.data.dir=1',
    'background.threads=2',
    'log.cleaner.enable=false',
    '',
  ].join('\n');
}

/** Broker logs go to a file in its directory (kept for a failing spec to read), INFO and up. */
export function log4jProperties(): string {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = file',
    'appender.file.fileName = ${sys:kafka.logs.dir}/server.log',
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = info',
    'rootLogger.appenderRef.file.ref = file',
    '',
  ].join('\n');
}

const KEYSTORE_PASSWORD = 'strata-test-keystore';

/**
 * A self-signed certificate for 127.0.0.1 and localhost in a PKCS12 keystore every broker
 * serves, and the same certificate as PEM: the CA file a client is given to trust them.
 */
export function makeTlsMaterial(dir: string): { caFile: string } {
  const keystore = path.join(dir, 'broker.p12');
  const caFile = path.join(dir, 'ca.pem');
  const common = ['-keystore', keystore, '-storepass', KEYSTORE_PASSWORD, '-alias', 'broker'];
  keytool([
    '-genkeypair',
    ...common,
    '-storetype',
    'PKCS12',
    '-keyalg',
    'EC',
    '-groupname',
    'secp256r1',
    '-dname',
    'CN=localhost',
    '-ext',
    'SAN=ip:127.0.0.1,dns:localhost',
    '-validity',
    '7',
  ]);
  keytool(['-exportcert', '-rfc', ...common, '-file', caFile]);
  return { caFile };
}

function keytool(args: string[]): void {
  const run = spawnSync('keytool', args, { encoding: 'utf8', env: { PATH: process.env.PATH } });
  if (run.status !== 0) throw new Error(`keytool ${args[0]} failed: ${run.stderr || run.stdout}`);
}

/** The classpath of every jar `make kafka-artifacts` fetched. */
export function kafkaClasspath(): string {
  return path.join(KAFKA_LIBS, '*');
}

/**
 * A random KRaft cluster id: 16 bytes, URL-safe base64 without padding (what StorageTool makes).
 * Never one starting with `-`: kafka-storage's argument parser takes it for an option (1 in 64).
 */
export function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function writeText(file: string, text: string): string {
  writeFileSync(file, text);
  return file;
}

/** The last lines of a broker's log, for an error that says why it did not come up. */
export function logTail(dir: string, lines = 30): string {
  const file = path.join(dir, 'server.log');
  if (!existsSync(file)) return '(no broker log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}
