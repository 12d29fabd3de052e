import { accessSync, constants } from 'node:fs';
import { ConfigError } from '../errors';

/**
 * Configuration comes from the environment, read once in a composition root and validated as a
 * whole: every bad variable is reported at once, each named with what it expects.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvVar<T> {
  readonly name: string;
  /** What the variable expects, for error messages and the README's table. */
  readonly expects: string;
  /** Returns the value, or throws a string saying what is wrong. */
  parse(raw: string | undefined): T;
  /** A password or key: an error names the variable but never echoes its value. */
  readonly secret?: boolean;
}

export type ConfigSpec = Record<string, EnvVar<unknown>>;
export type ConfigOf<S extends ConfigSpec> = { readonly [K in keyof S]: ReturnType<S[K]['parse']> };

export function readConfig<S extends ConfigSpec>(env: Env, spec: S): ConfigOf<S> {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(spec)) {
    try {
      config[key] = variable.parse(blankToUndefined(env[variable.name]));
    } catch (problem) {
      const got = variable.secret ? undefined : env[variable.name];
      problems.push(
        `${variable.name}: expected ${variable.expects}` +
          (got === undefined ? '' : `, got ${JSON.stringify(got)}`) +
          (typeof problem === 'string' ? ` (${problem})` : ''),
      );
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return config as ConfigOf<S>;
}

function blankToUndefined(raw: string | undefined): string | undefined {
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

export function stringVar(name: string, fallback: string): EnvVar<string> {
  return { name, expects: 'a string', parse: (raw) => raw ?? fallback };
}

export function optionalStringVar(name: string, expects = 'a string'): EnvVar<string | undefined> {
  return { name, expects, parse: (raw) => raw };
}

export function integerVar(
  name: string,
  fallback: number,
  { min = 0, max = Number.MAX_SAFE_INTEGER } = {},
): EnvVar<number> {
  return {
    name,
    expects: `an integer from ${min} to ${max}`,
    parse(raw) {
      if (raw === undefined) return fallback;
      if (!/^-?\d+$/.test(raw)) throw 'not an integer';
      const value = Number(raw);
      if (value < min || value > max) throw 'out of range';
      return value;
    },
  };
}

export function portVar(name: string, fallback: number): EnvVar<number> {
  return integerVar(name, fallback, { min: 0, max: 65535 });
}

export function oneOfVar<T extends string>(
  name: string,
  values: readonly T[],
  fallback: T,
): EnvVar<T> {
  return {
    name,
    expects: `one of ${values.join(', ')}`,
    parse(raw) {
      if (raw === undefined) return fallback;
      if (!(values as readonly string[]).includes(raw)) throw 'not an allowed value';
      return raw as T;
    },
  };
}

/** Like `oneOfVar`, with unset meaning "none of them". */
export function optionalOneOfVar<T extends string>(
  name: string,
  values: readonly T[],
): EnvVar<T | undefined> {
  const known = oneOfVar<T>(name, values, values[0] as T);
  return { ...known, parse: (raw) => (raw === undefined ? undefined : known.parse(raw)) };
}

/** An optional server URL whose scheme must be one of `protocols` (e.g. `redis:`). */
export function urlVar(name: string, protocols: readonly string[]): EnvVar<string | undefined> {
  return {
    name,
    expects: `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    parse(raw) {
      if (raw === undefined) return undefined;
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw 'not a URL';
      }
      if (!protocols.includes(url.protocol)) throw `scheme ${url.protocol} not supported`;
      return raw;
    },
  };
}

/** A comma-separated list of host:port pairs (Kafka brokers), or undefined when unset. */
export function hostListVar(name: string): EnvVar<string[] | undefined> {
  return {
    name,
    expects: 'a comma-separated list of host:port',
    parse(raw) {
      if (raw === undefined) return undefined;
      const hosts = raw.split(',').map((h) => h.trim());
      for (const host of hosts) {
        if (!/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(host)) throw `${host} is not host:port`;
      }
      return hosts;
    },
  };
}

/** `true` or `false` (any case), as OpenTelemetry's boolean variables are written. */
export function booleanVar(name: string, fallback: boolean): EnvVar<boolean> {
  return {
    name,
    expects: 'true or false',
    parse(raw) {
      if (raw === undefined) return fallback;
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw 'not a boolean';
      return lower === 'true';
    },
  };
}

/** A password, token or key; unset is undefined. */
export function secretVar(name: string, expects = 'a secret'): EnvVar<string | undefined> {
  return { name, expects, secret: true, parse: (raw) => raw };
}

/** The path of a file this process can read (a CA certificate, say), checked at start-up. */
export function readableFileVar(name: string): EnvVar<string | undefined> {
  return {
    name,
    expects: 'the path of a readable file',
    parse(raw) {
      if (raw === undefined) return undefined;
      try {
        accessSync(raw, constants.R_OK);
      } catch (error) {
        throw `cannot read it: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
      }
      return raw;
    },
  };
}

/** A number from 0 to 1 (a sampling probability). */
export function ratioVar(name: string, fallback: number): EnvVar<number> {
  return {
    name,
    expects: 'a number from 0 to 1',
    parse(raw) {
      if (raw === undefined) return fallback;
      const value = Number(raw);
      if (!/^\d*\.?\d+$/.test(raw) || value > 1) throw 'not a ratio';
      return value;
    },
  };
}
