/**
 * Splits plain user text into the chunks a search requires, each in any text field: every
 * whitespace-separated chunk with a letter or a digit. Chunks are never parsed as a query
 * language: FTS5's tokenizer turns each into its words (`t-shirt` into the phrase "t shirt"),
 * so `OR`, `NEAR(`, `*`, `-`, `:` and `^` are text like any other. Text with no word at all
 * gives no chunk, which matches nothing (as Elasticsearch does for text that analyzes to nothing).
 */
const HAS_WORD = /[\p{L}\p{N}]/u;

export function queryChunks(text: string): string[] {
  return text.split(/\s+/u).filter((chunk) => HAS_WORD.test(chunk));
}
