/**
 * The names of `T`'s methods that may return a promise (optional ones included): the calls that
 * reach a store or server.
 */
export type AsyncMethodOf<T> = {
  [K in keyof T]-?: NonNullable<T[K]> extends (...args: never[]) => infer R
    ? [Extract<R, PromiseLike<unknown>>] extends [never]
      ? never
      : K
    : never;
}[keyof T] &
  string;

/**
 * `target` with each of `methods` run through `around` (a span, a circuit breaker), everything
 * else passed through untouched, including methods added to the port later. A Proxy rather than
 * a copy, so an adapter's optional members and `this` stay as the adapter made them; each
 * wrapped method is made once.
 */
export function aroundMethods<T extends object>(
  target: T,
  methods: readonly AsyncMethodOf<T>[],
  around: (method: AsyncMethodOf<T>, call: () => Promise<unknown>) => Promise<unknown>,
): T {
  const wanted = new Set<PropertyKey>(methods);
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (!wanted.has(property) || typeof value !== 'function') return value;
      let wrapper = wrapped.get(property);
      if (!wrapper) {
        const method = property as unknown as AsyncMethodOf<T>;
        // async: a method that answers synchronously (or throws) still hands `around` a promise.
        wrapper = (...args: unknown[]) =>
          around(method, async () => (value as (...a: unknown[]) => unknown).apply(object, args));
        wrapped.set(property, wrapper);
      }
      return wrapper;
    },
  });
}
