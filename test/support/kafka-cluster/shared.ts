import { skipOrFail } from '../availability';
import { kafkaClusterUnavailable, startKafkaCluster, type KafkaCluster } from './cluster';

/**
 * One cluster per mocha run: a JVM cluster takes seconds to start on a shared 2-core box, so the
 * specs that need one share it (each uses topics of its own). Mocha loads this file with
 * `--require` (see the Makefile), and its root hook stops the cluster after the last spec; a
 * run without the hook still kills the brokers when the process exits.
 */
let shared: Promise<KafkaCluster> | null = null;

export function sharedKafkaCluster(): Promise<KafkaCluster> {
  shared ??= startKafkaCluster().then((cluster) => {
    process.stdout.write(
      `      (Kafka cluster: 3 KRaft brokers up in ${cluster.startupMs} ms, ${cluster.brokers.join(',')})\n`,
    );
    return cluster;
  });
  return shared;
}

/** Skips the suite loudly when the cluster cannot run here; under CI=true that is a failure. */
export async function kafkaClusterFor(context: Mocha.Context): Promise<KafkaCluster> {
  const unavailable = kafkaClusterUnavailable();
  if (unavailable) skipOrFail(context, `no real Kafka cluster: ${unavailable}`, true);
  return sharedKafkaCluster();
}

export const mochaHooks = {
  async afterAll(): Promise<void> {
    const cluster = await shared?.catch(() => null);
    shared = null;
    await cluster?.stop();
  },
};
