/** For specs: tokens signed here with jose, and the verifier settings that accept them. */
import {
  exportSPKI,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
import { PassThrough } from 'node:stream';
import { createLogger, type Logger } from '../../logging/logger';
import type { TokenSettings } from './config';

export const SECRET = 'test-secret-of-at-least-32-bytes-long!';
export const ISSUER = 'https://issuer.strata.test';
export const AUDIENCE = 'strata-api';

export interface TokenOptions {
  subject?: string;
  roles?: unknown;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative is in the past. */
  expiresIn?: number;
  notBeforeIn?: number;
  extra?: JWTPayload;
}

export function hs256Settings(overrides: Partial<TokenSettings> = {}): TokenSettings {
  return {
    mode: 'token',
    algorithm: 'HS256',
    key: { kind: 'secret', secret: SECRET },
    issuer: ISSUER,
    audience: AUDIENCE,
    rolesClaim: 'roles',
    ...overrides,
  };
}

function claims(options: TokenOptions): SignJWT {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ roles: options.roles ?? [], ...options.extra })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 300));
  if (options.subject !== '') jwt.setSubject(options.subject ?? 'user-1');
  if (options.notBeforeIn !== undefined) jwt.setNotBefore(now + options.notBeforeIn);
  return jwt;
}

export function signHs256(options: TokenOptions = {}, secret = SECRET): Promise<string> {
  return claims(options)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

export interface EcKeys {
  privateKey: CryptoKey;
  publicPem: string;
}

export async function es256Keys(): Promise<EcKeys> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, publicPem: await exportSPKI(publicKey) };
}

export function signEs256(keys: EcKeys, options: TokenOptions = {}, kid?: string): Promise<string> {
  return claims(options)
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...(kid && { kid }) })
    .sign(keys.privateKey);
}

/** `alg: none`: claims that would pass, with no signature at all. */
export function unsignedToken(options: TokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return new UnsecuredJWT({ roles: options.roles ?? [] })
    .setSubject(options.subject ?? 'user-1')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime(now + 300)
    .encode();
}

/** A logger whose lines a spec can read back (and that prints nothing). */
export function quietLogger(lines: string[] = []): Logger {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  return createLogger({ service: 'test', level: 'debug', format: 'json', stream });
}
