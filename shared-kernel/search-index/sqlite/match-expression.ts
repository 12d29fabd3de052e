/**
 * Turns plain user text into an FTS5 match expression that can only mean "all of these words":
 * every whitespace-separated chunk becomes a double-quoted string (inner quotes doubled), so
 * `OR`, `NEAR(`, `*`, `-`, `:` and `^` are searched for as text, never obeyed as syntax. Inside
 * quotes the tokenizer still splits a chunk such as `t-shirt` into a phrase ("t shirt").
 * Chunks with no letter or digit would be empty phrases and are dropped; text with no word at
 * all gives `""`, which matches nothing (as Elasticsearch does for text that analyzes to nothing).
 */
const HAS_WORD = /[\p{L}\p{N}]/u;

export function matchExpression(text: string): string {
  const phrases = text
    .split(/\s+/u)
    .filter((chunk) => HAS_WORD.test(chunk))
    .map((chunk) => `"${chunk.replaceAll('"', '""')}"`);
  return phrases.length === 0 ? '""' : phrases.join(' ');
}
