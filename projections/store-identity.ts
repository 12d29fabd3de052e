import { realpathSync } from 'node:fs';
import path from 'node:path';

/** Which stores a process works on, comparable between the worker and the CLI. */
export interface StoreIdentity {
  events: string;
  readModels: string;
}

/**
 * Named from the configuration both read (server URLs without credentials, or the embedded
 * stores' data directory with links resolved), so a CLI can tell whether the worker that
 * answers at `STRATA_WORKER_URL` is the one of its own stores.
 */
export function storeIdentity(config: {
  dataDir: string;
  esdbUrl?: string | undefined;
  mongoUrl?: string | undefined;
}): StoreIdentity {
  const embedded = `sqlite:${resolvedDir(config.dataDir)}`;
  return {
    events: config.esdbUrl ? withoutCredentials(config.esdbUrl) : embedded,
    readModels: config.mongoUrl ? withoutCredentials(config.mongoUrl) : embedded,
  };
}

export function sameStores(a: StoreIdentity, b: StoreIdentity): boolean {
  return a.events === b.events && a.readModels === b.readModels;
}

function resolvedDir(dir: string): string {
  const absolute = path.resolve(dir);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
