import { Kafka, logLevel, type Admin } from 'kafkajs';

/**
 * Watches which broker leads each partition of `topics`, asking the cluster every `intervalMs`,
 * and counts every change of leader: what a fault scenario reports as "leadership moves".
 */
export interface LeadershipWatch {
  /** Leader changes seen so far, all partitions together. */
  moves(): number;
  /** When (epoch ms) the watch saw move number `index` (0-based), or null before it has. */
  moveSeenAt(index: number): number | null;
  /** The broker leading the most partitions right now (ties: the lowest id). */
  busiestLeader(): number | null;
  /** Partitions each broker leads right now. */
  leadersByBroker(): Record<number, number>;
  stop(): Promise<void>;
}

export async function watchLeadership(
  brokers: string[],
  topics: readonly string[],
  intervalMs = 250,
): Promise<LeadershipWatch> {
  const connect = async (): Promise<Admin> => {
    const client = new Kafka({
      // kafkajs tries its seeds in list order: shuffled, a dead first broker is not always first.
      brokers: [...brokers].sort(() => Math.random() - 0.5),
      clientId: 'leadership-watch',
      logLevel: logLevel.NOTHING,
      requestTimeout: 2000,
      connectionTimeout: 1000,
      retry: { retries: 0 },
    }).admin();
    await client.connect();
    return client;
  };
  let admin: Admin = await connect();
  const leaders = new Map<string, number>();
  /** When each move was seen: their count is the number of moves. */
  const movesSeenAt: number[] = [];
  let stopped = false;
  const look = async () => {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
      for (const topic of metadata.topics) {
        for (const partition of topic.partitions) {
          const key = `${topic.name}/${partition.partitionId}`;
          const before = leaders.get(key);
          if (partition.leader < 0) continue; // an election under way: the move counts once done
          if (before !== undefined && before !== partition.leader) movesSeenAt.push(Date.now());
          leaders.set(key, partition.leader);
        }
      }
    } catch {
      // The broker this admin asks may be the one just killed: start over from a shuffled seed
      // list, so the watch does not go blind until that broker is back.
      await admin.disconnect().catch(() => undefined);
      admin = await connect().catch(() => admin);
    }
  };
  await look();
  const loop = (async () => {
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      await look();
    }
  })();
  const counts = () => {
    const byBroker: Record<number, number> = {};
    for (const leader of leaders.values()) byBroker[leader] = (byBroker[leader] ?? 0) + 1;
    return byBroker;
  };
  return {
    moves: () => movesSeenAt.length,
    moveSeenAt: (index) => movesSeenAt[index] ?? null,
    leadersByBroker: counts,
    busiestLeader() {
      const ranked = Object.entries(counts()).sort(
        (a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]),
      );
      return ranked[0] ? Number(ranked[0][0]) : null;
    },
    async stop() {
      stopped = true;
      await loop;
      await admin.disconnect();
    },
  };
}
