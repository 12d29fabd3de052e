import fs from 'node:fs';
import path from 'node:path';
import {
  DeciderCommandHandler,
  NO_CONCURRENCY_CHECK,
  STREAM_EXISTS,
  type Command,
  type DefaultCommandMetadata,
  type Event,
  type ExpectedStreamVersion,
} from '@event-driven-io/emmett';
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import type { OpenPeer, PeerDecider, PeerExpectedRevision } from '../../peer';
import { scalar } from './connection';
import { prepareCatchUp } from './emmett-catch-up';

type EmmettEvent = Event<string, Record<string, unknown>, Record<string, unknown>>;
/** Emmett's command metadata carries the time as `now`; Strata's context rides along with it. */
type EmmettCommand = Command<string, Record<string, unknown>> & {
  metadata: DefaultCommandMetadata & Record<string, unknown>;
};

/**
 * Emmett on its SQLite event store, used the way its README and typings describe: one
 * `getSQLiteEventStore` (its pool opens a connection per operation), `appendToStream` with the
 * expected stream version, `DeciderCommandHandler` with its stock retry on version conflicts,
 * and a consumer with a projection processor for catch-up.
 */
export const openPeer: OpenPeer = async ({ dataDir, fileName: name }) => {
  const fileName = path.join(dataDir, name);
  // Emmett's connection console.logs every transaction that fails (a busy database, the failed
  // rollback after it): thousands of stack traces under 32 writers. Counted instead, while open,
  // keeping the first: the error a failed append reports is the rollback's, not its cause.
  const consoleLog = console.log;
  let loggedLines = 0;
  let firstLogged = '';
  console.log = (...args: unknown[]) => {
    loggedLines += 1;
    if (loggedLines === 1) firstLogged = args.map(String).join(' ').slice(0, 200);
  };
  const store = getSQLiteEventStore({ fileName });
  await store.schema.migrate();

  /** Emmett counts stream versions from 1 (0: no stream); Strata's revisions from 0. */
  const versionOf = (expected: PeerExpectedRevision): ExpectedStreamVersion =>
    typeof expected === 'number'
      ? BigInt(expected + 1)
      : { any: NO_CONCURRENCY_CHECK, no_stream: 0n, stream_exists: STREAM_EXISTS }[expected];

  return {
    name: `Emmett ${versionOfPackage('@event-driven-io/emmett')} with emmett-sqlite ${versionOfPackage('@event-driven-io/emmett-sqlite')} (sqlite3 ${versionOfPackage('sqlite3')}, SQLite ${await scalar(fileName, 'SELECT sqlite_version()')})`,
    async durability() {
      const journal = await scalar(fileName, 'PRAGMA journal_mode');
      const synchronous = await scalar(fileName, 'PRAGMA synchronous');
      return `journal_mode=${journal}, synchronous=${SYNCHRONOUS[synchronous] ?? synchronous}`;
    },
    async append(streamId, events, expected) {
      const messages = events.map((e): EmmettEvent => ({
        type: e.type,
        data: e.data as Record<string, unknown>,
        // Strata's event id as Emmett's message id: the same row, byte for byte.
        metadata: { ...e.metadata, messageId: e.eventId },
      }));
      await store.appendToStream(streamId, messages, {
        expectedStreamVersion: versionOf(expected),
      });
    },
    commandHandler(decider: PeerDecider, streamPrefix: string) {
      const handle = DeciderCommandHandler<unknown, EmmettCommand, EmmettEvent>({
        decide: (command, state) => decider.decide(command, state) as EmmettEvent[],
        evolve: (state, event) => decider.evolve(state, event),
        initialState: () => decider.initialState(),
        mapToStreamId: (id) => streamPrefix + id,
        retry: { onVersionConflict: true },
      });
      return async (id, command) => {
        const now = new Date(String(command.metadata.occurredAt));
        await handle(store, id, { ...command, metadata: { ...command.metadata, now } });
      };
    },
    prepareCatchUp: (projection) => prepareCatchUp(store, fileName, projection),
    diagnostics: () => ({
      [`emmettConsoleLogLines (${name})`]: loggedLines,
      [`emmettFirstConsoleLog (${name})`]: firstLogged,
    }),
    async close() {
      console.log = consoleLog;
    },
  };
};

/** SQLite's codes for PRAGMA synchronous. */
const SYNCHRONOUS: Record<string, string> = {
  '0': 'OFF',
  '1': 'NORMAL',
  '2': 'FULL',
  '3': 'EXTRA',
};

function versionOfPackage(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (
    JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }
  ).version;
}
