import { expect } from 'chai';
import { readConfig, type Env } from '../../config/env';
import { authConfig, authSettings, type AuthSettings } from './config';

const SECRET = 'x'.repeat(32);
const settings = (env: Env): AuthSettings => authSettings(readConfig(env, authConfig));
const problemsOf = (env: Env): string => {
  try {
    settings(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
};
const WITH_CLAIMS = { STRATA_JWT_ISSUER: 'https://idp', STRATA_JWT_AUDIENCE: 'strata' };

describe('authentication configuration', () => {
  it('runs open when no key is configured and STRATA_AUTH is optional (the default)', () => {
    expect(settings({})).to.deep.equal({ mode: 'open' });
    expect(settings({ STRATA_AUTH: 'optional' })).to.deep.equal({ mode: 'open' });
  });

  it('refuses STRATA_AUTH=required without a key, naming the variables', () => {
    const message = problemsOf({ STRATA_AUTH: 'required' });
    expect(message).to.match(/STRATA_AUTH: is "required"/);
    expect(message).to.match(/STRATA_JWT_SECRET, STRATA_JWT_PUBLIC_KEY or STRATA_JWT_JWKS_URL/);
  });

  it('builds HS256 settings with the roles claim defaulting to roles', () => {
    const env = { STRATA_JWT_ALGORITHM: 'HS256', STRATA_JWT_SECRET: SECRET, ...WITH_CLAIMS };
    expect(settings({ ...env, STRATA_AUTH: 'required' })).to.deep.equal({
      mode: 'token',
      algorithm: 'HS256',
      key: { kind: 'secret', secret: SECRET },
      issuer: 'https://idp',
      audience: 'strata',
      rolesClaim: 'roles',
    });
  });

  it('turns literal \\n in a one-line PEM into newlines', () => {
    const env = { STRATA_JWT_ALGORITHM: 'ES256', STRATA_JWT_PUBLIC_KEY: 'a\\nb', ...WITH_CLAIMS };
    const result = settings(env);
    expect(result.mode === 'token' && result.key).to.deep.equal({
      kind: 'public-key',
      pem: 'a\nb',
    });
  });

  const refusals: Array<[string, Env, RegExp]> = [
    [
      'an unknown algorithm',
      { STRATA_JWT_ALGORITHM: 'none' },
      /STRATA_JWT_ALGORITHM: expected one of HS256, RS256, ES256, got "none"/,
    ],
    [
      'an unknown mode',
      { STRATA_AUTH: 'maybe' },
      /STRATA_AUTH: expected one of optional, required/,
    ],
    [
      'a key without an algorithm',
      { STRATA_JWT_SECRET: SECRET, ...WITH_CLAIMS },
      /STRATA_JWT_ALGORITHM: required/,
    ],
    [
      'a short secret',
      { STRATA_JWT_ALGORITHM: 'HS256', STRATA_JWT_SECRET: 'short', ...WITH_CLAIMS },
      /STRATA_JWT_SECRET: must be at least 32 bytes/,
    ],
    [
      'a secret for RS256',
      { STRATA_JWT_ALGORITHM: 'RS256', STRATA_JWT_SECRET: SECRET, ...WITH_CLAIMS },
      /STRATA_JWT_SECRET: RS256 verifies with/,
    ],
    [
      'HS256 with a public key',
      { STRATA_JWT_ALGORITHM: 'HS256', STRATA_JWT_PUBLIC_KEY: 'pem', ...WITH_CLAIMS },
      /HS256 needs STRATA_JWT_SECRET/,
    ],
    [
      'two keys',
      {
        STRATA_JWT_ALGORITHM: 'ES256',
        STRATA_JWT_PUBLIC_KEY: 'pem',
        STRATA_JWT_JWKS_URL: 'https://idp/jwks',
        ...WITH_CLAIMS,
      },
      /STRATA_JWT_PUBLIC_KEY, STRATA_JWT_JWKS_URL: set only one/,
    ],
    [
      'no issuer',
      { STRATA_JWT_ALGORITHM: 'HS256', STRATA_JWT_SECRET: SECRET, STRATA_JWT_AUDIENCE: 'a' },
      /STRATA_JWT_ISSUER: required/,
    ],
    [
      'no audience',
      { STRATA_JWT_ALGORITHM: 'HS256', STRATA_JWT_SECRET: SECRET, STRATA_JWT_ISSUER: 'i' },
      /STRATA_JWT_AUDIENCE: required/,
    ],
    [
      'a plain-http JWKS URL off loopback',
      { STRATA_JWT_JWKS_URL: 'http://idp.example/jwks' },
      /STRATA_JWT_JWKS_URL: expected an https:\/\/ URL/,
    ],
    [
      'an issuer with no key',
      { STRATA_JWT_ISSUER: 'https://idp' },
      /STRATA_JWT_ISSUER: is set, but no key/,
    ],
  ];
  for (const [name, env, expected] of refusals) {
    it(`refuses ${name}, naming the variable`, () => {
      expect(problemsOf(env)).to.match(expected);
    });
  }

  it('accepts a JWKS URL over https, or over http on loopback', () => {
    for (const url of ['https://idp.example/jwks', 'http://127.0.0.1:8080/jwks']) {
      const result = settings({
        STRATA_JWT_ALGORITHM: 'RS256',
        STRATA_JWT_JWKS_URL: url,
        ...WITH_CLAIMS,
      });
      expect(result.mode === 'token' && result.key.kind).to.equal('jwks');
    }
  });
});
