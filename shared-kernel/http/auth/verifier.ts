import {
  createRemoteJWKSet,
  errors,
  importSPKI,
  jwtVerify,
  type CryptoKey,
  type JWTVerifyGetKey,
} from 'jose';
import { ConfigError, UnauthorizedError, UnavailableError } from '../../errors';
import { isSubject, SUBJECT_DESCRIPTION } from '../../ids';
import type { TokenSettings } from './config';
import { rolesFrom, type Principal } from './principal';

/** Verifies a compact JWT and says who it names; rejects with a typed 401 (or 503). */
export type TokenVerifier = (token: string) => Promise<Principal>;

/** Tokens may come from a server whose clock is a little off. */
const CLOCK_TOLERANCE_SECONDS = 60;

/**
 * Builds the verifier once at start-up. The algorithm list holds only the configured one, so
 * `alg: none` and a public key replayed as an HMAC secret are refused by jose itself.
 */
export async function openTokenVerifier(settings: TokenSettings): Promise<TokenVerifier> {
  const key = await verificationKey(settings);
  const options = {
    algorithms: [settings.algorithm],
    issuer: settings.issuer,
    audience: settings.audience,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['sub', 'exp'],
  };
  return async (token) => {
    let payload;
    try {
      // The two overloads of jwtVerify differ only in the key's type.
      payload =
        typeof key === 'function'
          ? (await jwtVerify(token, key, options)).payload
          : (await jwtVerify(token, key, options)).payload;
    } catch (error) {
      throw asAuthError(error);
    }
    const subject = payload.sub;
    // The subject is the actor in event metadata and, for a customer, its customer id.
    if (!isSubject(subject)) {
      throw new UnauthorizedError(`the token subject must be ${SUBJECT_DESCRIPTION}`);
    }
    return { subject, roles: rolesFrom(payload, settings.rolesClaim) };
  };
}

async function verificationKey(
  settings: TokenSettings,
): Promise<Uint8Array | CryptoKey | JWTVerifyGetKey> {
  switch (settings.key.kind) {
    case 'secret':
      return new TextEncoder().encode(settings.key.secret);
    case 'public-key':
      try {
        return await importSPKI(settings.key.pem, settings.algorithm);
      } catch (error) {
        throw new ConfigError(
          `invalid configuration:\n  STRATA_JWT_PUBLIC_KEY: not a ${settings.algorithm} public key in SPKI PEM (${(error as Error).message})`,
        );
      }
    case 'jwks':
      // jose caches the set and refetches on an unknown `kid`, at most once per cooldown.
      return createRemoteJWKSet(settings.key.url, { timeoutDuration: 2_000 });
    default: {
      const never: never = settings.key;
      throw new Error(`unknown key kind ${JSON.stringify(never)}`);
    }
  }
}

/** What the client did wrong is a 401; a key server we cannot reach is our problem, a 503. */
function asAuthError(error: unknown): Error {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new UnavailableError(
      'the key set (STRATA_JWT_JWKS_URL) did not answer in time or is not a JWKS',
      5,
    );
  }
  if (error instanceof errors.JWTExpired) return new UnauthorizedError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new UnauthorizedError(`the token's "${error.claim}" claim is not acceptable`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new UnauthorizedError('the token is not signed with the accepted algorithm');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new UnauthorizedError('the token signature does not verify');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new UnauthorizedError('no key of the key set matches the token');
  }
  if (error instanceof errors.JOSEError) return new UnauthorizedError('the token is malformed');
  return new UnavailableError('the token could not be verified now (key set unreachable)', 5, {
    cause: error,
  });
}
