import type { EventStore } from '../../shared-kernel/event-store/port';
import type { Append } from './shop-ledger';

/**
 * Appends a history to the store `window` appends at a time. All of a window is issued in one
 * tick, so the SQLite store's group commit takes it as one transaction (one fsync), in issue
 * order: appends to the same stream within a window land in order with their exact expected
 * revisions. This is setup, not a measured figure.
 */
export async function fillEventStore(
  store: EventStore,
  history: Iterable<Append>,
  onWindow: (appended: number) => void = () => {},
  window = 1024,
): Promise<number> {
  let appended = 0;
  let pending: Append[] = [];
  const flush = async () => {
    await Promise.all(pending.map((a) => store.append(a.streamId, a.events, a.expected)));
    appended += pending.length;
    pending = [];
    onWindow(appended);
  };
  for (const append of history) {
    pending.push(append);
    if (pending.length >= window) await flush();
  }
  if (pending.length > 0) await flush();
  return appended;
}
