/**
 * The relevance of a document to a query, as Elasticsearch's `multi_match` of type
 * `cross_fields` computes it over the declared text fields (what the Elasticsearch adapter
 * sends): for each query term, the best field's score counts (tie_breaker 0), and the terms'
 * scores add up. A field's score for a term is BM25 within that field alone, normalized by that
 * field's length against its own average, so a long description costs a name match nothing:
 *
 *   score(d) = sum over terms t of  max over fields f holding t of  boost_f * idf(t) * w(tfn)
 *   idf(t)   = ln(1 + (N - n_t + 0.5) / (n_t + 0.5))     N documents, n_t = max_f docs(f, t)
 *   tfn      = tf / (tf + k1 * (1 - b + b * len_f / avglen_f))      k1 = 1.2, b = 0.75
 *   w(tfn)   = 1/2 + tfn / 2
 *
 * tf counts the term (or a chunk's phrase) in the field, len_f is the field's length in words
 * and avglen_f its average over the documents that have any of it, as Lucene counts them.
 * `idf` is shared by every field of a term, as `cross_fields` blends document frequencies,
 * so the boosts alone weigh the fields against each other. `w` is the one departure from
 * Lucene (where w(tfn) = tfn): it keeps BM25's order within a field but gives every field that
 * holds the term at least half its weight, so with name^3 a name match (>= 1.5 idf) always
 * outranks a description-only match (< 1 idf), however long the name. Elasticsearch lets a
 * name several times longer than average lose to a short description; in catalogues without
 * such names both give the same order.
 */
const K1 = 1.2;
const B = 0.75;
const FLOOR = 0.5;

/** Lucene's idf, over the live documents, from the most documents any one field holds it in. */
export function termIdf(documents: number, hits: number): number {
  return Math.log(1 + (documents - hits + 0.5) / (hits + 0.5));
}

/** A field's BM25 weight of a term: `termFrequency` times in a field of `length` words. */
export function fieldScore(
  boost: number,
  idf: number,
  termFrequency: number,
  length: number,
  averageLength: number,
): number {
  const tfn = termFrequency / (termFrequency + K1 * (1 - B + (B * length) / averageLength));
  return boost * idf * (FLOOR + (1 - FLOOR) * tfn);
}
