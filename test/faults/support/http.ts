/** One HTTP exchange as a client saw it: status, the headers that matter here, the parsed body. */
export interface Answer {
  status: number;
  contentType: string;
  etag: string | null;
  retryAfter: string | null;
  replayed: boolean;
  /** `X-Projection-Position` of a query API answer. */
  servedAt: string | null;
  body: unknown;
  /** The body exactly as sent, for comparing answers byte for byte. */
  raw: string;
}

/**
 * Any request, its answer read whole. A refused or reset connection is status 0 with the error
 * as body, so a scenario counts it as a failure instead of crashing on it.
 */
export async function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  try {
    return answerOf(await fetch(url, init));
  } catch (error) {
    const raw = String((error as { cause?: unknown }).cause ?? error);
    const none = { contentType: '', etag: null, retryAfter: null, replayed: false, servedAt: null };
    return { status: 0, ...none, body: raw, raw };
  }
}

/** POSTs JSON; the answer as `request` gives it. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return answerOf(await fetch(url, { headers }));
}

async function answerOf(response: Response): Promise<Answer> {
  const raw = await response.text();
  let body: unknown = raw;
  try {
    body = JSON.parse(raw);
  } catch {
    // Not JSON: kept as text, which is itself a finding the scenario reports.
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    etag: response.headers.get('etag'),
    retryAfter: response.headers.get('retry-after'),
    replayed: response.headers.get('idempotent-replayed') === 'true',
    servedAt: response.headers.get('x-projection-position'),
    body,
    raw,
  };
}

/** Runs `count` tasks with at most `inFlight` at a time; results in task order. */
export async function inParallel<T>(
  count: number,
  inFlight: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  return results;
}

/** How many answers had each status, e.g. `{ 201: 1, 409: 999 }`, for figures and messages. */
export function statusCounts(answers: readonly Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
