import { fnv1a } from './fnv1a';

/**
 * A map from string keys to values that is plain JSON data (so a decider state holding it can
 * be snapshotted, stored by the audit trail and folded again after a JSON round trip) and is
 * updated without copying it: keys are spread by hash over a fixed three-level trie of 32 slots
 * per node, so `setRecord` and `removeRecord` copy three nodes and one leaf of about
 * size/32,768 entries, and share everything else with the input, which is never changed.
 *
 * A node stores only its occupied slots: `[bitmap, ...children]`, bit s of the bitmap set when
 * slot s holds a child, children in slot order. Nodes padded to 32 slots made a stock item with
 * a few dozen open orders 15 KB of JSON, mostly nulls, written on every batch that touched it.
 * Emptied nodes become null, so equal contents are equal data whatever the order of updates,
 * before and after JSON.
 */
export interface KeyedRecords<V> {
  readonly size: number;
  readonly root: Trie<V> | null;
}

/** Entries sorted by key: arrays rather than objects, so keys never become property names. */
type Leaf<V> = readonly (readonly [string, V])[];
type Trie<V> = readonly [number, ...(Trie<V> | Leaf<V>)[]];
type Child<V> = Trie<V> | Leaf<V>;

const LEVELS = 3;

export function emptyRecords<V>(): KeyedRecords<V> {
  return { size: 0, root: null };
}

/** The trie slots of a key, from its FNV-1a hash (stable: snapshots depend on it). */
function slotsOf(key: string): number[] {
  const hash = fnv1a(key);
  return [hash & 31, (hash >>> 5) & 31, (hash >>> 10) & 31];
}

function bitCount(bits: number): number {
  let n = bits - ((bits >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (Math.imul((n + (n >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Where slot `slot` of `node` is kept, and whether it holds a child. */
function locate<V>(node: Trie<V> | null, slot: number): { at: number; held: boolean } {
  const bitmap = node?.[0] ?? 0;
  const bit = (1 << slot) >>> 0;
  return { at: 1 + bitCount(bitmap & (bit - 1)), held: (bitmap & bit) !== 0 };
}

function leafOf<V>(root: Trie<V> | null, slots: number[]): Leaf<V> | null {
  let node: Child<V> | null = root;
  for (const slot of slots) {
    if (node === null) return null;
    const trie = node as Trie<V>;
    const { at, held } = locate(trie, slot);
    node = held ? (trie[at] as Child<V>) : null;
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
  function* walk(node: Child<V>, depth: number): Iterable<[string, V]> {
    if (depth === LEVELS) {
      for (const [k, v] of node as Leaf<V>) yield [k, v];
      return;
    }
    for (let i = 1; i < node.length; i++) yield* walk((node as Trie<V>)[i] as Child<V>, depth + 1);
  }
  if (records.root !== null) yield* walk(records.root, 0);
}

/** The trie with the leaf at `slots` replaced; null for a node left with nothing in it. */
function replaceLeaf<V>(
  node: Trie<V> | null,
  slots: number[],
  depth: number,
  leaf: Leaf<V> | null,
): Trie<V> | null {
  const slot = slots[depth]!;
  const { at, held } = locate(node, slot);
  const child: Child<V> | null =
    depth === LEVELS - 1
      ? leaf
      : replaceLeaf(held ? ((node as Trie<V>)[at] as Trie<V>) : null, slots, depth + 1, leaf);
  const bitmap = node?.[0] ?? 0;
  const bit = (1 << slot) >>> 0;
  const children = node === null ? [] : (node.slice(1) as Child<V>[]);
  if (child === null) {
    if (!held) return node;
    children.splice(at - 1, 1);
    return children.length === 0 ? null : [(bitmap & ~bit) >>> 0, ...children];
  }
  children.splice(at - 1, held ? 1 : 0, child);
  return [(bitmap | bit) >>> 0, ...children];
}
