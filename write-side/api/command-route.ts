import type { ClassConstructor } from 'class-transformer';
import type { RequestHandler, Response } from 'express';
import type { Cache } from '../../shared-kernel/cache/port';
import { ValidationError } from '../../shared-kernel/errors';
import { identityOf } from '../../shared-kernel/http/correlation';
import { pathParam } from '../../shared-kernel/http/path-params';
import { validateDto } from '../../shared-kernel/http/validate-dto';
import type { Logger } from '../../shared-kernel/logging/logger';
import type { AggregateType } from '../aggregates';
import type { CommandOf } from '../command-handling/command-request';
import type { DispatchCommand } from '../command-handling/dispatch';
import {
  parseIdempotencyKey,
  requestFingerprint,
  runIdempotently,
  type CommandResponse,
} from './idempotency';

export interface CommandRouteDeps {
  dispatch: DispatchCommand;
  cache: Cache;
  logger: Logger;
  clock: () => Date;
  newId: () => string;
}

/** `:id` is a UUID, `:sku` a SKU. */
export const PARAM_KIND = { id: 'uuid', sku: 'sku' } as const;

export interface CommandInput<D> {
  body: D;
  /** The validated path parameter (`:id` or `:sku`); empty for creation routes. */
  param: string;
  /** ISO time of the request, for commands whose events record when. */
  at: string;
  newId: () => string;
}

export interface CommandRouteSpec<D extends object, A extends AggregateType> {
  dto: ClassConstructor<D>;
  aggregate: A;
  /** Which path parameter names the aggregate, and how it must look. */
  param?: 'id' | 'sku';
  command(input: CommandInput<D>): CommandOf<A>;
  /** For creation routes: 201 with `Location` at this query API path. */
  createdAt?: (id: string) => string;
}

/**
 * One HTTP command route: check the path parameter, the body and `If-Match`, build the
 * command, run it (through the idempotency record when `Idempotency-Key` is given) and answer
 * `{ id, streamRevision, position }` with `ETag`. Validation happens before the key is claimed,
 * so a rejected body never holds a key.
 */
export function commandRoute<D extends object, A extends AggregateType>(
  deps: CommandRouteDeps,
  spec: CommandRouteSpec<D, A>,
): RequestHandler {
  return async (request, response) => {
    const param = spec.param ? pathParam(request, spec.param, PARAM_KIND[spec.param]) : '';
    const idempotencyKey = parseIdempotencyKey(request.get('idempotency-key'));
    const expectedRevision = parseIfMatch(request.get('if-match'));
    const body = await validateDto(spec.dto, request.body);
    const { correlationId, actor } = identityOf(response.locals);
    const at = deps.clock().toISOString();
    const command = spec.command({ body, param, at, newId: deps.newId });

    const work = async (): Promise<CommandResponse> => {
      const result = await deps.dispatch({
        aggregate: spec.aggregate,
        command,
        commandId: deps.newId(),
        expectedRevision,
        context: { correlationId, actor, occurredAt: at },
      });
      const headers: Record<string, string> = { ETag: `"${result.streamRevision}"` };
      if (spec.createdAt) headers.Location = spec.createdAt(result.id);
      const { id, streamRevision, position } = result;
      const status = spec.createdAt ? 201 : 200;
      return { status, headers, body: { id, streamRevision, position }, problem: false };
    };

    if (idempotencyKey === undefined) {
      send(response, await work());
      return;
    }
    const fingerprint = requestFingerprint(request.method, request.originalUrl, request.body);
    const outcome = await runIdempotently(
      deps.cache,
      deps.logger,
      idempotencyKey,
      fingerprint,
      work,
    );
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    send(response, outcome);
  };
}

function send(response: Response, outcome: CommandResponse): void {
  response.status(outcome.status);
  for (const [name, value] of Object.entries(outcome.headers)) response.setHeader(name, value);
  if (outcome.problem) {
    response.type('application/problem+json').send(JSON.stringify(outcome.body));
  } else {
    response.json(outcome.body);
  }
}

/** `If-Match: "<revision>"` (strong, one value) -> the revision the append expects. */
export function parseIfMatch(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const match = /^"(-1|0|[1-9]\d{0,14})"$/.exec(raw.trim());
  if (!match?.[1]) {
    throw new ValidationError([
      { field: 'If-Match', message: 'must be one quoted stream revision, e.g. "3"' },
    ]);
  }
  return Number(match[1]);
}
