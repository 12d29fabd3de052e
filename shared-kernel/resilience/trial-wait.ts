/** `trial`'s outcome if it settles within `waitMs`, else `rejection()`; the trial goes on. */
export async function trialOrRejection<T>(
  trial: Promise<T>,
  waitMs: number,
  rejection: () => Error,
): Promise<T> {
  // Once its caller has left, the trial's outcome matters only to the breaker.
  trial.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(rejection()), waitMs);
  });
  try {
    return await Promise.race([trial, waited]);
  } finally {
    clearTimeout(timer);
  }
}
