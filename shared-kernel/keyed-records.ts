import { fnv1a } from './fnv1a';

/**
 * A map from string keys to values that is plain JSON data (so a decider state holding it can
 * be snapshotted, stored by the audit trail and folded again after a JSON round trip) and is
 * updated without copying it: keys are spread by hash over a fixed three-level trie of 32-slot
 * arrays, so `setRecord` and `removeRecord` copy three arrays of 32 slots and one leaf of about
 * size/32,768 entries, and share everything else with the input, which is never changed.
 * Empty slots are null (never holes) and emptied nodes become null again, so equal contents are
 * equal data whatever the order of updates, before and after JSON.
 */
export interface KeyedRecords<V> {
  readonly size: number;
  readonly root: Trie<V>;
}

/** Entries sorted by key: arrays rather than objects, so keys never become property names. */
type Leaf<V> = readonly (readonly [string, V])[];
type Trie<V> = readonly (Trie<V> | Leaf<V> | null)[] | null;

const WIDTH = 32;
const LEVELS = 3;

export function emptyRecords<V>(): KeyedRecords<V> {
  return { size: 0, root: null };
}

/** The trie slots of a key, from its FNV-1a hash (stable: snapshots depend on it). */
function slotsOf(key: string): number[] {
  const hash = fnv1a(key);
  return [hash & 31, (hash >>> 5) & 31, (hash >>> 10) & 31];
}

function leafOf<V>(root: Trie<V>, slots: number[]): Leaf<V> | null {
  let node: Trie<V> | Leaf<V> | null = root;
  for (const slot of slots) {
    if (node === null) return null;
    node = (node as readonly (Trie<V> | Leaf<V> | null)[])[slot] ?? null;
  }
  return node as Leaf<V> | null;
}

export function getRecord<V>(records: KeyedRecords<V>, key: string): V | undefined {
  const leaf = leafOf(records.root, slotsOf(key));
  return leaf?.find(([k]) => k === key)?.[1];
}

export function setRecord<V>(records: KeyedRecords<V>, key: string, value: V): KeyedRecords<V> {
  const slots = slotsOf(key);
  const leaf = leafOf(records.root, slots) ?? [];
  const at = leaf.findIndex(([k]) => k >= key);
  const replaces = at >= 0 && leaf[at]![0] === key;
  const next = leaf.slice();
  if (at < 0) next.push([key, value]);
  else next.splice(at, replaces ? 1 : 0, [key, value]);
  return {
    size: records.size + (replaces ? 0 : 1),
    root: replaceLeaf(records.root, slots, 0, next),
  };
}

export function removeRecord<V>(records: KeyedRecords<V>, key: string): KeyedRecords<V> {
  const slots = slotsOf(key);
  const leaf = leafOf(records.root, slots);
  const at = leaf?.findIndex(([k]) => k === key) ?? -1;
  if (leaf === null || at < 0) return records;
  const next = leaf.length === 1 ? null : [...leaf.slice(0, at), ...leaf.slice(at + 1)];
  return { size: records.size - 1, root: replaceLeaf(records.root, slots, 0, next) };
}

export function* recordEntries<V>(records: KeyedRecords<V>): Iterable<[string, V]> {
  function* walk(node: Trie<V> | Leaf<V> | null, depth: number): Iterable<[string, V]> {
    if (node === null) return;
    if (depth === LEVELS) {
      for (const [k, v] of node as Leaf<V>) yield [k, v];
      return;
    }
    for (const child of node as readonly (Trie<V> | Leaf<V> | null)[])
      yield* walk(child, depth + 1);
  }
  yield* walk(records.root, 0);
}

/** The trie with the leaf at `slots` replaced; null for a node left with nothing in it. */
function replaceLeaf<V>(
  node: Trie<V>,
  slots: number[],
  depth: number,
  leaf: Leaf<V> | null,
): Trie<V> {
  const slot = slots[depth]!;
  const copy = node === null ? new Array<Trie<V> | Leaf<V> | null>(WIDTH).fill(null) : node.slice();
  copy[slot] =
    depth === LEVELS - 1
      ? leaf
      : replaceLeaf((copy[slot] ?? null) as Trie<V>, slots, depth + 1, leaf);
  if (copy[slot] !== null) return copy;
  return copy.every((child) => child === null) ? null : copy;
}
