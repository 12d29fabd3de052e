import { ValidationError } from '../../shared-kernel/errors';
import type { IfMatch } from '../command-handling/command-request';

/**
 * One list element: optional whitespace, an entity-tag (`"<etagc>"`, `W/` for a weak one) or
 * nothing (RFC 9110 5.6.1 asks recipients to ignore empty elements), whitespace, then a comma
 * or the end. etagc is any visible character but DQUOTE, so a comma inside quotes is data.
 */
const ELEMENT = /[ \t]*(?:(W\/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(,|$)/y;
/** The only strong tags this API issues: `ETag: "<streamRevision>"`. */
const REVISION = /^(0|[1-9]\d{0,14})$/;

/**
 * `If-Match` (RFC 9110 13.1.1): `*`, or a comma-separated list of entity-tags. Comparison is
 * strong, so a weak tag (`W/"3"`) never matches, and neither does a strong one this API could
 * not have issued; the list holds when any of its strong tags is the stream's revision.
 * Anything that is not that grammar is a 400.
 */
export function parseIfMatch(raw: string | undefined): IfMatch | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === '*') return { any: true };
  const revisions: number[] = [];
  let tags = 0;
  for (let at = 0; at < raw.length || tags === 0;) {
    ELEMENT.lastIndex = at;
    const match = ELEMENT.exec(raw);
    if (!match) throw invalid();
    const [whole, weak, opaque, separator] = match;
    if (opaque !== undefined) {
      tags += 1;
      if (weak === undefined && REVISION.test(opaque)) revisions.push(Number(opaque));
    }
    if (separator === '') {
      if (tags === 0) throw invalid();
      break;
    }
    at += whole.length;
  }
  return { revisions };
}

function invalid(): ValidationError {
  return new ValidationError([
    {
      field: 'If-Match',
      message: 'must be * or a list of entity tags, e.g. "3" (the ETag of a command answer)',
    },
  ]);
}
