import type { ClassConstructor } from 'class-transformer';
import type { Response } from 'express';
import type { Cache } from '../../shared-kernel/cache/port';
import { ValidationError } from '../../shared-kernel/errors';
import type { EventStore } from '../../shared-kernel/event-store/port';
import type { Access } from '../../shared-kernel/http/auth/policy';
import { identityOf } from '../../shared-kernel/http/correlation';
import { pathParam, pathParamDoc } from '../../shared-kernel/http/path-params';
import type { ParameterDoc, RouteSpec } from '../../shared-kernel/http/routes';
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
  /** For access rules that read a stream, such as who placed an order. */
  store: EventStore;
  cache: Cache;
  logger: Logger;
  clock: () => Date;
  newId: () => string;
}

export interface CommandInput<D> {
  body: D;
  /** The validated path parameter (`:id` or `:sku`); empty for creation routes. */
  param: string;
  /** ISO time of the request, for commands whose events record when. */
  at: string;
  newId: () => string;
}

export interface CommandRouteSpec<D extends object, A extends AggregateType> {
  method: 'post' | 'patch';
  path: string;
  summary: string;
  access: Access;
  dto: ClassConstructor<D>;
  aggregate: A;
  /** The path parameter naming the aggregate: `:id` is a UUID, `:sku` a SKU. */
  param?: 'id' | 'sku';
  command(input: CommandInput<D>): CommandOf<A>;
  /** For creation routes: 201 with `Location` at this query API path. */
  createdAt?: (id: string) => string;
}

/** What every command answers: the aggregate id, its stream revision and `$all` position. */
const RESULT = {
  type: 'object',
  required: ['id', 'streamRevision', 'position'],
  properties: {
    id: { type: 'string' },
    streamRevision: { type: 'integer', minimum: -1 },
    position: { type: ['string', 'null'] },
  },
};
const HEADERS: ParameterDoc[] = [
  {
    name: 'If-Match',
    in: 'header',
    schema: { type: 'string' },
    description: 'the expected stream revision, quoted: "3"',
  },
  {
    name: 'Idempotency-Key',
    in: 'header',
    schema: { type: 'string', maxLength: 255 },
    description: 'replays the first answer for 24 h',
  },
  { name: 'X-Correlation-Id', in: 'header', schema: { type: 'string', maxLength: 128 } },
  { name: 'X-Actor', in: 'header', schema: { type: 'string', maxLength: 128 } },
];
const PARAM_KIND = { id: 'uuid', sku: 'sku' } as const;

/**
 * One HTTP command route: check the path parameter, the body and `If-Match`, build the
 * command, run it (through the idempotency record when `Idempotency-Key` is given) and answer
 * `{ id, streamRevision, position }` with `ETag`. Validation happens before the key is claimed,
 * so a rejected body never holds a key.
 */
export function commandRoute<D extends object, A extends AggregateType>(
  deps: CommandRouteDeps,
  spec: CommandRouteSpec<D, A>,
): RouteSpec {
  const { method, path, summary, access, param: name } = spec;
  const created = spec.createdAt !== undefined;
  return {
    method,
    path,
    summary,
    access,
    body: spec.dto,
    parameters: name ? [pathParamDoc(name, PARAM_KIND[name]), ...HEADERS] : HEADERS,
    success: {
      status: created ? 201 : 200,
      schema: RESULT,
      headers: created ? ['ETag', 'Location', 'X-Correlation-Id'] : ['ETag', 'X-Correlation-Id'],
    },
    handler: commandHandler(deps, spec),
  };
}

function commandHandler<D extends object, A extends AggregateType>(
  deps: CommandRouteDeps,
  spec: CommandRouteSpec<D, A>,
): RouteSpec['handler'] {
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
