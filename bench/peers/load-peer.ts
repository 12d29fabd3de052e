import fs from 'node:fs';
import path from 'node:path';
import type { OpenPeer } from './peer';

/** Where `make bench` builds each peer package (its own tsconfig, rootDir bench/peers). */
const PEERS_DIR = path.resolve(__dirname, '..', '..', '..', 'bench', 'peers');

/**
 * Loads a peer package's compiled module at run time: the root build never compiles or installs
 * a peer, so `make test` and CI do not depend on it. A missing build is a clear error.
 */
export function loadPeer(name: string): OpenPeer {
  const module = path.join(PEERS_DIR, name, 'dist', name, 'src', `${name}-peer.js`);
  if (!fs.existsSync(module)) {
    throw new Error(
      `peer ${name} is not built (${module} is missing): run \`make bench-peers\`, which installs bench/peers/${name} with npm ci and compiles it`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
  const loaded = require(module) as { openPeer?: OpenPeer };
  if (typeof loaded.openPeer !== 'function') throw new Error(`${module} exports no openPeer`);
  return loaded.openPeer;
}
