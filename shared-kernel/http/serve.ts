import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger';

type Listener = { listen(port: number): Server };

/** A started process, as its composition root's `main` answers (a spec may run it in-process). */
export interface RunningProcess {
  /** The port it serves on (the one it was asked for, or the free one it got for 0). */
  port: number;
  /** What SIGTERM does: drain, close every store and client, flush the spans. */
  stop(): Promise<void>;
}

/** Starts listening; resolves with the server and the port it got (0 asks for a free one). */
export function listen(app: Listener, port: number): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port);
    server.once('listening', () =>
      resolve({ server, port: (server.address() as AddressInfo).port }),
    );
    server.once('error', reject);
  });
}

/**
 * Stops accepting, lets requests in flight finish, and past `timeoutMs` cuts the connections
 * still open. Idle keep-alive sockets would hold close() open, so they are closed at once.
 */
export async function stopServer(server: Server, timeoutMs: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => {
    logger.warn('requests still running at the shutdown timeout; closing their connections');
    server.closeAllConnections();
  }, timeoutMs);
  await closed;
  clearTimeout(timer);
}

/** Runs `stop` once on the first SIGTERM or SIGINT. */
export function onShutdownSignal(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void stop(signal);
  };
  process.once('SIGTERM', handle);
  process.once('SIGINT', handle);
}
