import { expect } from 'chai';
import { SignJWT } from 'jose';
import { UnauthorizedError } from '../../errors';
import { openTokenVerifier, type TokenVerifier } from './verifier';
import {
  AUDIENCE,
  es256Keys,
  hs256Settings,
  ISSUER,
  SECRET,
  signEs256,
  signHs256,
  unsignedToken,
  type EcKeys,
} from './tokens.fixtures';

async function refusal(verify: TokenVerifier, token: string): Promise<Error> {
  try {
    await verify(token);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the token was accepted');
}

describe('token verifier', () => {
  describe('HS256', () => {
    let verify: TokenVerifier;
    before(async () => {
      verify = await openTokenVerifier(hs256Settings());
    });

    it('accepts a good token and reads the subject and the known roles', async () => {
      const token = await signHs256({
        subject: 'u-7',
        roles: ['catalog:write', 'admin', 'customer'],
      });
      const principal = await verify(token);
      expect(principal.subject).to.equal('u-7');
      expect([...principal.roles].sort()).to.deep.equal(['catalog:write', 'customer']);
    });

    it('accepts expiry and not-before within the 60 s leeway', async () => {
      await verify(await signHs256({ expiresIn: -30 }));
      await verify(await signHs256({ notBeforeIn: 30 }));
    });

    const cases: Array<[string, () => Promise<string> | string, RegExp]> = [
      ['alg none', () => unsignedToken({ roles: ['catalog:write'] }), /algorithm/],
      ['a wrong secret', () => signHs256({}, `${SECRET}-other`), /signature/],
      ['a wrong audience', () => signHs256({ audience: 'someone-else' }), /"aud"/],
      ['a wrong issuer', () => signHs256({ issuer: 'https://evil.test' }), /"iss"/],
      ['an expired token', () => signHs256({ expiresIn: -120 }), /expired/],
      ['nbf in the future', () => signHs256({ notBeforeIn: 120 }), /"nbf"/],
      ['no subject', () => signHs256({ subject: '' }), /"sub"/],
      ['a subject with control characters', () => signHs256({ subject: 'a\nb' }), /subject/],
      ['garbage', () => 'not.a.jwt', /malformed/],
      ['a header that is not JSON', () => 'bm90IGpzb24.e30.c2ln', /malformed/],
    ];
    for (const [name, make, reason] of cases) {
      it(`refuses ${name} with a 401 saying why`, async () => {
        const error = await refusal(verify, await make());
        expect(error).to.be.instanceOf(UnauthorizedError);
        expect(error.message).to.match(reason);
      });
    }

    it('refuses a token with no expiry', async () => {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u-1')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .sign(new TextEncoder().encode(SECRET));
      expect((await refusal(verify, token)).message).to.match(/"exp"/);
    });

    it('refuses an ES256 token: the algorithm is pinned', async () => {
      const keys = await es256Keys();
      expect((await refusal(verify, await signEs256(keys))).message).to.match(/algorithm/);
    });
  });

  describe('ES256 with a PEM public key', () => {
    let keys: EcKeys;
    let verify: TokenVerifier;
    before(async () => {
      keys = await es256Keys();
      verify = await openTokenVerifier(
        hs256Settings({ algorithm: 'ES256', key: { kind: 'public-key', pem: keys.publicPem } }),
      );
    });

    it('accepts a token signed by the matching private key', async () => {
      const principal = await verify(
        await signEs256(keys, { subject: 's-1', roles: 'auditor customer' }),
      );
      expect(principal.subject).to.equal('s-1');
      expect([...principal.roles].sort()).to.deep.equal(['auditor', 'customer']);
    });

    it('refuses a token signed by another key pair', async () => {
      const other = await es256Keys();
      expect((await refusal(verify, await signEs256(other))).message).to.match(/signature/);
    });

    it('refuses an HS256 token whose secret is the public key (algorithm confusion)', async () => {
      const forged = await signHs256({}, keys.publicPem);
      expect((await refusal(verify, forged)).message).to.match(/algorithm/);
    });
  });

  it('reads roles at a dotted claim path', async () => {
    const verify = await openTokenVerifier(hs256Settings({ rolesClaim: 'realm_access.roles' }));
    const token = await signHs256({ extra: { realm_access: { roles: ['orders:write'] } } });
    expect([...(await verify(token)).roles]).to.deep.equal(['orders:write']);
  });

  it('refuses to start with a PEM that is not a key, naming the variable', async () => {
    let error: Error | undefined;
    await openTokenVerifier(
      hs256Settings({ algorithm: 'RS256', key: { kind: 'public-key', pem: 'nope' } }),
    ).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/STRATA_JWT_PUBLIC_KEY/);
  });
});
