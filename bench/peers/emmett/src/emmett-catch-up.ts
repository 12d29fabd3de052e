import {
  sqliteProjection,
  type SQLiteEventStore,
  type SQLiteReadEvent,
} from '@event-driven-io/emmett-sqlite';
import type { PeerProjection, PeerRecordedEvent, PreparedCatchUp } from '../../peer';
import { withConnection } from './connection';

interface MessagesRow {
  events: number;
  head: number | null;
}

/**
 * Catch-up as Emmett does it: a consumer pulls batches of `batchSize` messages and its projection
 * processor hands each message to the projection and stores the checkpoint, one transaction per
 * batch, on the event store's own database. The processor calls `handle` with one message at a
 * time and writes the checkpoint after each (emmett-sqlite 0.42.4), so folding a batch in memory
 * is not open to a projection: each message reads and writes its document. The projection keeps one JSON document per stream in
 * a table of that database, read and upserted through the connection Emmett gives it.
 */
export async function prepareCatchUp(
  store: SQLiteEventStore,
  fileName: string,
  projection: PeerProjection,
): Promise<PreparedCatchUp> {
  if (!/^[a-z][a-z0-9_]*$/.test(projection.name)) {
    throw new Error(`projection name ${projection.name}: expected [a-z][a-z0-9_]*`);
  }
  const table = `bench_${projection.name}`;
  const { events, head } = await withConnection(fileName, async (connection) => {
    await connection.command(
      `CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`,
    );
    const row = await connection.querySingle<MessagesRow>(
      'SELECT COUNT(*) AS events, MAX(global_position) AS head FROM emt_messages',
    );
    return row ?? { events: 0, head: null };
  });
  const consumer = store.consumer({
    // Emmett sleeps `pullingFrequencyInMs` between batches even while behind: 1 ms, not 50.
    pulling: { batchSize: projection.batchSize, pullingFrequencyInMs: 1 },
  });
  consumer.processor({
    processorId: `bench:${projection.name}`,
    startFrom: 'BEGINNING',
    stopAfter: (message) => head === null || message.metadata.globalPosition >= BigInt(head),
    projection: sqliteProjection({
      name: projection.name,
      canHandle: [...projection.handles],
      handle: async (messages, { connection }) => {
        for (const message of messages) {
          const id = message.metadata.streamName;
          const row = await connection.querySingle<{ doc: string }>(
            `SELECT doc FROM ${table} WHERE id = ?`,
            [id],
          );
          const doc = projection.evolve(row ? JSON.parse(row.doc) : null, recorded(message));
          if (doc !== null) {
            await connection.command(
              `INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
              [id, JSON.stringify(doc)],
            );
          } else if (row) {
            await connection.command(`DELETE FROM ${table} WHERE id = ?`, [id]);
          }
        }
      },
    }),
  });
  return {
    run: async () => {
      if (head !== null) await consumer.start();
    },
    finish: async () => {
      await consumer.close();
      const documents = await withConnection(fileName, (connection) =>
        connection.querySingle<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`),
      );
      return { events, documents: documents?.n ?? 0 };
    },
  };
}

/** Emmett's read event in Strata's `RecordedEvent` shape, so the read model folds it unchanged. */
function recorded(message: SQLiteReadEvent): PeerRecordedEvent {
  const { metadata } = message;
  return {
    eventId: metadata.messageId,
    type: message.type,
    data: message.data,
    metadata,
    streamId: metadata.streamName,
    revision: Number(metadata.streamPosition) - 1,
    position: String(metadata.globalPosition),
    recordedAt: '',
  };
}
