import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { runWithContext } from './context';
import { createLogger } from './logger';

function capture(): { stream: PassThrough; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('logger', () => {
  it('writes JSON lines carrying the correlation id, causation id and actor of the context', async () => {
    const out = capture();
    const logger = createLogger({
      service: 'test',
      level: 'info',
      format: 'json',
      stream: out.stream,
    });
    runWithContext({ correlationId: 'corr-1', causationId: 'cause-1', actor: 'alice' }, () =>
      logger.info('command handled', { commandType: 'CreateProduct' }),
    );
    logger.info('outside any request');
    await new Promise((resolve) => setImmediate(resolve));
    const [inside, outside] = out.lines();
    expect(inside).to.include({
      message: 'command handled',
      service: 'test',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      actor: 'alice',
      commandType: 'CreateProduct',
    });
    expect(outside).to.not.have.property('correlationId');
  });

  it('never writes a secret or a token', async () => {
    const out = capture();
    const logger = createLogger({
      service: 'test',
      level: 'info',
      format: 'json',
      stream: out.stream,
    });
    logger.info('request', {
      authorization: 'Bearer abc.def.ghi',
      jwtSecret: 's3cret',
      path: '/x',
    });
    await new Promise((resolve) => setImmediate(resolve));
    const [line] = out.lines();
    expect(JSON.stringify(line)).to.not.contain('abc.def.ghi').and.not.contain('s3cret');
    expect(line).to.include({ authorization: '[redacted]', path: '/x' });
  });
});
