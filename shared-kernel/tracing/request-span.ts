import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/**
 * Names the active request's server span after the route that answers it (`POST /orders`,
 * `http.route` = `/orders`): the http instrumentation reads the route from the request's RPC
 * metadata when the response finishes. Our route table knows each route's template, so no
 * express instrumentation (a span per handler, patched layers) is needed to learn it. Untraced
 * (tracing off, or a probe) there is no metadata and this does nothing.
 */
export function nameRequestSpan(route: string): void {
  const metadata = getRPCMetadata(context.active());
  if (metadata?.type === RPCType.HTTP) metadata.route = route;
}
