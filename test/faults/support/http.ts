/** One HTTP exchange as a client saw it: status, the headers that matter here, the parsed body. */
export interface Answer {
  status: number;
  contentType: string;
  etag: string | null;
  retryAfter: string | null;
  replayed: boolean;
  body: unknown;
  /** The body exactly as sent, for comparing answers byte for byte. */
  raw: string;
}

/**
 * POSTs JSON and reads the whole answer. A refused or reset connection is answered as status 0
 * (the body names the error), so a scenario counts it instead of crashing on it.
 */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return await answerOf(response);
  } catch (error) {
    const raw = String((error as { cause?: unknown }).cause ?? error);
    return {
      status: 0,
      contentType: '',
      etag: null,
      retryAfter: null,
      replayed: false,
      body: raw,
      raw,
    };
  }
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
