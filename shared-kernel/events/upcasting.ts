import { ConfigError, StoreError } from '../errors';

/**
 * Events are stored forever, but their data shapes evolve. Each event carries the schema
 * version it was written at; on read, upcasters bring old data up one version at a time until
 * it has the shape today's code expects, so deciders and read models only know the current one.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  /** Turns data written at `fromVersion` into data of `fromVersion + 1`. Must be pure. */
  upcast(data: unknown): unknown;
}

/** The version each event type is written at today. */
export type SchemaVersions = Readonly<Record<string, number>>;

/** What upcasting needs of an event: a `RecordedEvent` or `NewEvent` fits. */
export interface VersionedEvent {
  type: string;
  data: unknown;
  metadata: { schemaVersion: number };
}

export interface EventUpcasting {
  /** The version new events of `type` are written at (1 for a type never versioned). */
  currentVersion(type: string): number;
  /** The event with its data at the current version; the same object when already current. */
  upcast<E extends VersionedEvent>(event: E): E;
}

export function eventUpcasting(
  versions: SchemaVersions,
  upcasters: readonly Upcaster[],
): EventUpcasting {
  const byKey = indexUpcasters(versions, upcasters);
  const currentVersion = (type: string): number => versions[type] ?? 1;
  return {
    currentVersion,
    upcast<E extends VersionedEvent>(event: E): E {
      const target = currentVersion(event.type);
      // Events written before versioning existed carry no version: they are version 1.
      let version = event.metadata.schemaVersion ?? 1;
      if (!Number.isSafeInteger(version) || version < 1 || version > target) {
        throw new StoreError(
          `event ${event.type} has schema version ${version}; this code reads 1 to ${target}`,
        );
      }
      if (version === target) return event;
      let data = event.data;
      for (; version < target; version += 1) {
        const upcaster = byKey.get(keyOf(event.type, version)) as Upcaster;
        try {
          data = upcaster.upcast(data);
        } catch (cause) {
          throw new StoreError(`cannot upcast ${event.type} from version ${version}: ${cause}`, {
            cause,
          });
        }
      }
      return { ...event, data, metadata: { ...event.metadata, schemaVersion: target } };
    },
  };
}

/** Merges the version tables of several aggregates; one event type may be owned by one only. */
export function mergeSchemaVersions(...tables: SchemaVersions[]): SchemaVersions {
  const merged: Record<string, number> = {};
  for (const table of tables) {
    for (const [type, version] of Object.entries(table)) {
      if (type in merged) throw new ConfigError(`event type ${type} is declared twice`);
      merged[type] = version;
    }
  }
  return merged;
}

function keyOf(type: string, fromVersion: number): string {
  return `${type}@${fromVersion}`;
}

/** Checked once at start-up so a gap in a chain fails there, not on the first old event read. */
function indexUpcasters(
  versions: SchemaVersions,
  upcasters: readonly Upcaster[],
): Map<string, Upcaster> {
  const byKey = new Map<string, Upcaster>();
  for (const upcaster of upcasters) {
    const current = versions[upcaster.type];
    if (current === undefined) {
      throw new ConfigError(`upcaster for unknown event type ${upcaster.type}`);
    }
    const { fromVersion } = upcaster;
    if (!Number.isSafeInteger(fromVersion) || fromVersion < 1 || fromVersion >= current) {
      throw new ConfigError(
        `upcaster ${upcaster.type} from version ${fromVersion}: must be 1 to ${current - 1}`,
      );
    }
    const key = keyOf(upcaster.type, fromVersion);
    if (byKey.has(key)) throw new ConfigError(`two upcasters for ${key}`);
    byKey.set(key, upcaster);
  }
  for (const [type, current] of Object.entries(versions)) {
    if (!Number.isSafeInteger(current) || current < 1) {
      throw new ConfigError(`event type ${type} has schema version ${current}; must be >= 1`);
    }
    for (let version = 1; version < current; version += 1) {
      if (!byKey.has(keyOf(type, version))) {
        throw new ConfigError(`no upcaster for ${type} from version ${version} to ${version + 1}`);
      }
    }
  }
  return byKey;
}
