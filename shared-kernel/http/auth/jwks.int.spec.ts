import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import { freePort } from '../../../test/support/redis-server';
import { UnauthorizedError, UnavailableError } from '../../errors';
import { hs256Settings, signEs256, type EcKeys } from './tokens.fixtures';
import { openTokenVerifier } from './verifier';

/** A key server on loopback publishing one ES256 public key as a JWKS, counting its fetches. */
async function keyServer(keys: EcKeys & { jwk: object }) {
  let fetches = 0;
  const server = http.createServer((_request, response) => {
    fetches++;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [keys.jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`),
    fetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function ecKeys(kid: string): Promise<EcKeys & { jwk: object }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { privateKey, publicPem: '', jwk };
}

describe('token verifier with a JWKS URL (real HTTP key server on loopback)', () => {
  it('verifies tokens by kid against the fetched key set, fetching it once', async () => {
    const keys = await ecKeys('k1');
    const server = await keyServer(keys);
    try {
      const verify = await openTokenVerifier(
        hs256Settings({ algorithm: 'ES256', key: { kind: 'jwks', url: server.url } }),
      );
      for (const subject of ['a', 'b', 'c']) {
        const principal = await verify(
          await signEs256(keys, { subject, roles: ['auditor'] }, 'k1'),
        );
        expect(principal.subject).to.equal(subject);
      }
      expect(server.fetches()).to.equal(1);
      const stranger = await ecKeys('k1');
      const error = await verify(await signEs256(stranger, {}, 'k1')).catch((e: Error) => e);
      expect(error).to.be.instanceOf(UnauthorizedError);
      const unknownKid = await verify(await signEs256(keys, {}, 'k9')).catch((e: Error) => e);
      expect(unknownKid).to.be.instanceOf(UnauthorizedError);
    } finally {
      await server.close();
    }
  });

  it('answers 503 (not 401) while the key server cannot be reached', async () => {
    const keys = await ecKeys('k1');
    const url = new URL(`http://127.0.0.1:${await freePort()}/jwks.json`);
    const verify = await openTokenVerifier(
      hs256Settings({ algorithm: 'ES256', key: { kind: 'jwks', url } }),
    );
    const error = await verify(await signEs256(keys, {}, 'k1')).catch((e: Error) => e);
    expect(error).to.be.instanceOf(UnavailableError);
    expect((error as Error).message).to.match(/key set/);
  });
});
