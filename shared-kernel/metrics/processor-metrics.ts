import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the metrics read of a processor's status (projections/engine/status.ts has more). */
export interface ObservedProcessor {
  name: string;
  checkpoint: string | null;
  lagEvents: number | null;
  lagSeconds: number;
  parkedStreams: number;
  /** ISO 8601 time the processor loop last showed life. */
  heartbeatAt: string;
  /** `standby`: another worker runs it; its progress figures are that worker's to export. */
  state: string;
  /** Its lease as this worker last saw it. */
  lease: { owner: string | null; token: number; ageSeconds: number } | null;
}

/** Told by the runner after every batch it commits. */
export interface BatchObserver {
  batchCommitted(processor: string, events: number, durationMs: number): void;
  /** Events from streams that are not Strata's, skipped (projections/engine/foreign-events.ts). */
  foreignEventsSkipped?(processor: string, events: number): void;
  /** A commit refused because another worker took the processor's lease. */
  commitFenced?(processor: string): void;
}

export interface ProcessorMetricsOptions {
  /** Every processor's current status, read at scrape time. */
  statuses: () => readonly ObservedProcessor[];
  /**
   * The checkpoint as a number, where positions are dense (the SQLite store's sequence); absent
   * where they are not (EventStoreDB's log offsets), since a number would only mislead there.
   */
  checkpointNumber?: (position: string) => number;
}

/**
 * Per processor: events processed and batch duration (counted as batches commit), and
 * checkpoint, lag in events and seconds, parked streams, last heartbeat (read from the statuses at scrape time,
 * so an idle or hung processor still shows its last values).
 */
export function processorMetrics(
  registry: Registry,
  options: ProcessorMetricsOptions,
): BatchObserver {
  const processed = new Counter({
    name: 'strata_projection_events_processed_total',
    help: 'Events a processor has read past (handled or not), by processor',
    labelNames: ['processor'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'strata_projection_batch_duration_seconds',
    help: 'Time to apply and commit one batch, by processor',
    labelNames: ['processor'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const foreign = new Counter({
    name: 'strata_projection_foreign_events_skipped_total',
    help: "Events from streams that are not Strata's aggregates, skipped, by processor",
    labelNames: ['processor'] as const,
    registers: [registry],
  });
  const fenced = new Counter({
    name: 'strata_projection_fenced_batches_total',
    help: 'Batches given up because the lease was taken by another worker or ran out unrenewed',
    labelNames: ['processor'] as const,
    registers: [registry],
  });
  // Only the processors this worker runs: a standby one's progress is its owner's to export.
  const running = () => options.statuses().filter((status) => status.state !== 'standby');
  const gauge = (name: string, help: string, read: (s: ObservedProcessor) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['processor'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const status of running()) {
          const value = read(status);
          if (value !== null) this.set({ processor: status.name }, value);
        }
      },
    });
  gauge('strata_projection_lag_events', 'Events between checkpoint and head', (s) => s.lagEvents);
  gauge(
    'strata_projection_lag_seconds',
    'Age of the oldest event not yet processed (0 when caught up)',
    (s) => s.lagSeconds,
  );
  gauge(
    'strata_projection_parked_streams',
    'Streams parked as dead letters',
    (s) => s.parkedStreams,
  );
  // A timestamp, not an age: it needs no clock here, and `time() - x` in a rule keeps growing
  // while a hung loop no longer moves it (the process still answers scrapes).
  gauge(
    'strata_projection_heartbeat_timestamp_seconds',
    "Unix time of the processor loop's last heartbeat",
    (s) => Date.parse(s.heartbeatAt) / 1000,
  );
  const { checkpointNumber } = options;
  if (checkpointNumber) {
    gauge('strata_projection_checkpoint', 'Global position of the checkpoint', (s) =>
      s.checkpoint === null ? 0 : checkpointNumber(s.checkpoint),
    );
  }
  gauge('strata_projection_lease_token', "Fencing token of the processor's lease", (s) =>
    s.lease === null ? null : s.lease.token,
  );
  gauge(
    'strata_projection_lease_age_seconds',
    'Seconds since this worker renewed the lease',
    (s) => (s.lease === null ? null : s.lease.ageSeconds),
  );
  new Gauge({
    name: 'strata_projection_lease_owner',
    help: 'Who owns each processor as this worker sees it (1 per processor; worker "" when free)',
    labelNames: ['processor', 'worker'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const status of options.statuses()) {
        this.set({ processor: status.name, worker: status.lease?.owner ?? '' }, 1);
      }
    },
  });
  return {
    batchCommitted(processor, events, durationMs) {
      processed.inc({ processor }, events);
      duration.observe({ processor }, durationMs / 1000);
    },
    foreignEventsSkipped(processor, events) {
      foreign.inc({ processor }, events);
    },
    commitFenced(processor) {
      fenced.inc({ processor });
    },
  };
}
