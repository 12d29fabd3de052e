/**
 * A server URL as messages, logs and problem bodies may show it: any `user:password@` replaced
 * by `***@`. Each adapter computes it once when it opens and uses only that form afterwards, so
 * no error text built later can carry the password.
 */
export function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/?#]*@/, '//***@');
}
