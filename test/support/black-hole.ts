import net from 'node:net';

/**
 * A port that accepts connections and never answers a byte: what a frozen server, a half-dead
 * load balancer or a firewall that drops packets looks like to a client. Unlike a refused port,
 * nothing fails at once; only the client's own timeouts end a call.
 */
export interface BlackHole {
  readonly port: number;
  /** Connections accepted so far (so a spec can tell the client did try). */
  accepted(): number;
  close(): Promise<void>;
}

export function openBlackHole(): Promise<BlackHole> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('data', () => undefined); // read and drop: the client's writes never block
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        accepted: () => accepted,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
