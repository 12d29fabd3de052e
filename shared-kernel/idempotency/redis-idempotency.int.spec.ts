import { quietLogger } from '../http/auth/tokens.fixtures';
import { newId } from '../ids';
import { skipOrFail } from '../../test/support/availability';
import {
  redisServerInstalled,
  startRedisServer,
  type TestRedisServer,
} from '../../test/support/redis-server';
import { describeIdempotencyStoreContract } from './idempotency.contract';
import { openRedisIdempotencyStore } from './redis';

describe('IdempotencyStore contract: Redis (a real redis-server started by the test)', function () {
  let server: TestRedisServer | undefined;
  const logger = quietLogger();
  before(async function () {
    if (!redisServerInstalled()) skipOrFail(this, 'redis-server is not installed', true);
    server = await startRedisServer();
  });
  after(() => server?.close());

  // One prefix per test: its two handles share it, other tests do not see it.
  describeIdempotencyStoreContract(async () => {
    const keyPrefix = `idem:${newId()}:`;
    return { store: () => openRedisIdempotencyStore({ url: server!.url, logger, keyPrefix }) };
  });
});
