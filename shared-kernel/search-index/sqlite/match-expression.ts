/**
 * Turns plain user text into FTS5 phrases that can only mean "this word": every
 * whitespace-separated chunk becomes a double-quoted string (inner quotes doubled), so `OR`,
 * `NEAR(`, `*`, `-`, `:` and `^` are searched for as text, never obeyed as syntax. Inside quotes
 * the tokenizer still splits a chunk such as `t-shirt` into a phrase ("t shirt"). Chunks with no
 * letter or digit would be empty phrases and are dropped; text with no word at all gives no
 * phrase, which matches nothing (as Elasticsearch does for text that analyzes to nothing).
 * A search requires every phrase, each in any text field.
 */
const HAS_WORD = /[\p{L}\p{N}]/u;

export function matchPhrases(text: string): string[] {
  return text
    .split(/\s+/u)
    .filter((chunk) => HAS_WORD.test(chunk))
    .map((chunk) => `"${chunk.replaceAll('"', '""')}"`);
}
