/**
 * What another event-sourcing library does for the peers benchmark (bench/peers.ts). Each peer is
 * a package of its own under bench/peers/<name>/ (its own package.json and lockfile, installed and
 * compiled by `make bench` only) whose compiled module exports `openPeer`; the benchmark loads it
 * at run time and drives it with the same events, commands, decider and read-model fold as
 * Strata. This file imports nothing so a peer package compiles it without the rest of Strata; its
 * shapes are Strata's own (NewEvent, RecordedEvent, Decider), so nothing is translated twice.
 */

/** An event to append: Strata's `NewEvent`. */
export interface PeerEvent {
  eventId: string;
  type: string;
  data: unknown;
  metadata: object;
}

/** Revision of the stream's last event (0-based), or a general expectation. */
export type PeerExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

/** A command with what Strata's handler would put in its events' metadata. */
export interface PeerCommand {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** A decider in the peer's command handler: decide returns the events to append, metadata too. */
export interface PeerDecider {
  initialState(): unknown;
  decide(command: PeerCommand, state: unknown): Array<Omit<PeerEvent, 'eventId'>>;
  evolve(state: unknown, event: { type: string; data: unknown }): unknown;
}

/** A stored event as a read model sees it: Strata's `RecordedEvent`. */
export interface PeerRecordedEvent extends PeerEvent {
  streamId: string;
  revision: number;
  position: string;
  recordedAt: string;
}

/** A one-document-per-stream read model, folded with `evolve(doc, event)`. */
export interface PeerProjection {
  name: string;
  handles: readonly string[];
  evolve(doc: object | null, event: PeerRecordedEvent): object | null;
  /** Events per batch (one transaction each), as Strata's runner is configured. */
  batchSize: number;
}

export interface PeerCatchUp {
  events: number;
  /** Documents in the read model afterwards. */
  documents: number;
}

export interface PreparedCatchUp {
  run(): Promise<void>;
  finish(): Promise<PeerCatchUp>;
}

export interface Peer {
  /** Library and driver versions, SQLite's included. */
  readonly name: string;
  /** How its SQLite connections write: journal mode and synchronous, as the connection says. */
  durability(): Promise<string>;
  append(streamId: string, events: PeerEvent[], expected: PeerExpectedRevision): Promise<void>;
  /** The peer's own command handler over `decider`; the command's aggregate is `id`. */
  commandHandler(
    decider: PeerDecider,
    streamPrefix: string,
  ): (id: string, command: PeerCommand) => Promise<void>;
  /**
   * Catch-up through the peer's projection API into a new read model, from the start of the log
   * to its head now: `run` is what the benchmark times, `finish` closes and counts.
   */
  prepareCatchUp(projection: PeerProjection): Promise<PreparedCatchUp>;
  /** What the peer did that the figures do not show, for the report's parameters. */
  diagnostics(): Record<string, string | number>;
  close(): Promise<void>;
}

export type OpenPeer = (options: { dataDir: string; fileName: string }) => Promise<Peer>;
