import type { ConfigOf, EnvVar } from '../../config/env';
import { oneOfVar, optionalStringVar, stringVar } from '../../config/env';
import { ConfigError } from '../../errors';

export const JWT_ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** HS256 keys shorter than the hash are brute-forceable (RFC 7518 section 3.2 asks for 256 bits). */
const MIN_SECRET_BYTES = 32;

/** The authentication variables; each composition root spreads them into its own spec. */
export const authConfig = {
  authMode: oneOfVar('STRATA_AUTH', ['optional', 'required'] as const, 'optional'),
  jwtAlgorithm: optionalOneOf('STRATA_JWT_ALGORITHM', JWT_ALGORITHMS),
  jwtSecret: optionalStringVar(
    'STRATA_JWT_SECRET',
    `a shared secret of ${MIN_SECRET_BYTES}+ bytes`,
  ),
  jwtPublicKey: optionalStringVar('STRATA_JWT_PUBLIC_KEY', 'a PEM public key (SPKI)'),
  jwtJwksUrl: jwksUrlVar('STRATA_JWT_JWKS_URL'),
  jwtIssuer: optionalStringVar('STRATA_JWT_ISSUER', 'the expected `iss` of tokens'),
  jwtAudience: optionalStringVar('STRATA_JWT_AUDIENCE', 'the expected `aud` of tokens'),
  jwtRolesClaim: stringVar('STRATA_JWT_ROLES_CLAIM', 'roles'),
};

export type AuthConfig = ConfigOf<typeof authConfig>;

export type TokenKey =
  | { kind: 'secret'; secret: string }
  | { kind: 'public-key'; pem: string }
  | { kind: 'jwks'; url: URL };

export interface TokenSettings {
  mode: 'token';
  algorithm: JwtAlgorithm;
  key: TokenKey;
  issuer: string;
  audience: string;
  /** Dotted path of the claim holding the roles, e.g. `roles` or `realm_access.roles`. */
  rolesClaim: string;
}

/** Open: no key configured, the actor comes from `X-Actor` and nothing is checked. */
export type AuthSettings = { mode: 'open' } | TokenSettings;

/**
 * The checks that span variables, run right after readConfig: a half-configured verifier
 * stops start-up (naming every variable at fault) rather than running open by accident.
 */
export function authSettings(config: AuthConfig): AuthSettings {
  const problems: string[] = [];
  const keys = (
    [
      ['STRATA_JWT_SECRET', config.jwtSecret],
      ['STRATA_JWT_PUBLIC_KEY', config.jwtPublicKey],
      ['STRATA_JWT_JWKS_URL', config.jwtJwksUrl],
    ] as const
  ).filter(([, value]) => value !== undefined);
  if (keys.length === 0) {
    if (config.authMode === 'required') {
      problems.push(
        'STRATA_AUTH: is "required", but no key is configured: set STRATA_JWT_SECRET, STRATA_JWT_PUBLIC_KEY or STRATA_JWT_JWKS_URL',
      );
    }
    for (const [name, value] of [
      ['STRATA_JWT_ALGORITHM', config.jwtAlgorithm],
      ['STRATA_JWT_ISSUER', config.jwtIssuer],
      ['STRATA_JWT_AUDIENCE', config.jwtAudience],
    ] as const) {
      if (value !== undefined) problems.push(`${name}: is set, but no key is configured`);
    }
    fail(problems);
    return { mode: 'open' };
  }
  if (keys.length > 1) {
    problems.push(`${keys.map(([name]) => name).join(', ')}: set only one of them`);
  }
  const algorithm = config.jwtAlgorithm;
  if (algorithm === undefined) {
    problems.push(
      `STRATA_JWT_ALGORITHM: required when a key is configured (one of ${JWT_ALGORITHMS.join(', ')})`,
    );
  } else if (algorithm === 'HS256' && config.jwtSecret === undefined) {
    problems.push('STRATA_JWT_ALGORITHM: HS256 needs STRATA_JWT_SECRET, not a public key');
  } else if (algorithm !== 'HS256' && config.jwtSecret !== undefined) {
    // Pinning stops algorithm confusion: a public key must never double as an HMAC secret.
    problems.push(
      `STRATA_JWT_SECRET: ${algorithm} verifies with STRATA_JWT_PUBLIC_KEY or STRATA_JWT_JWKS_URL`,
    );
  }
  if (config.jwtSecret !== undefined && Buffer.byteLength(config.jwtSecret) < MIN_SECRET_BYTES) {
    problems.push(`STRATA_JWT_SECRET: must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  if (config.jwtIssuer === undefined)
    problems.push('STRATA_JWT_ISSUER: required when a key is configured');
  if (config.jwtAudience === undefined)
    problems.push('STRATA_JWT_AUDIENCE: required when a key is configured');
  fail(problems);
  return {
    mode: 'token',
    algorithm: algorithm as JwtAlgorithm,
    key: tokenKey(config),
    issuer: config.jwtIssuer as string,
    audience: config.jwtAudience as string,
    rolesClaim: config.jwtRolesClaim,
  };
}

function tokenKey(config: AuthConfig): TokenKey {
  if (config.jwtSecret !== undefined) return { kind: 'secret', secret: config.jwtSecret };
  if (config.jwtPublicKey !== undefined) {
    // A PEM squeezed into one env line often carries literal `\n`s.
    return { kind: 'public-key', pem: config.jwtPublicKey.replace(/\\n/g, '\n') };
  }
  return { kind: 'jwks', url: new URL(config.jwtJwksUrl as string) };
}

function fail(problems: string[]): void {
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

function optionalOneOf<T extends string>(
  name: string,
  values: readonly T[],
): EnvVar<T | undefined> {
  return {
    name,
    expects: `one of ${values.join(', ')}`,
    parse(raw) {
      if (raw === undefined) return undefined;
      if (!(values as readonly string[]).includes(raw)) throw 'not an allowed value';
      return raw as T;
    },
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Keys fetched in the clear could be swapped in transit, so plain http is for loopback only. */
function jwksUrlVar(name: string): EnvVar<string | undefined> {
  return {
    name,
    expects: 'an https:// URL (http:// only on localhost)',
    parse(raw) {
      if (raw === undefined) return undefined;
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw 'not a URL';
      }
      if (url.protocol === 'https:') return raw;
      if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return raw;
      throw `scheme ${url.protocol} not allowed here`;
    },
  };
}
