// A Merkle tree in the RFC 6962 / RFC 9162 (section 2.1) shape, over the ordered entry hashes of a seal, so a
// single record can be shown to be in a sealed range with a handful of hashes instead of the whole seal.
import * as crypto from 'node:crypto';

const leafPrefix = 0x00;
const nodePrefix = 0x01;

// The one-shot crypto.hash (Node 20.12+) is several times quicker than createHash for the many small inputs of a tree.
const oneShot = (crypto as { hash?: (algorithm: string, data: Buffer, encoding: 'buffer') => Buffer }).hash;

const sha256 = (data: Buffer): Buffer => (oneShot !== undefined ? oneShot('sha256', data, 'buffer') : crypto.createHash('sha256').update(data).digest());

/** The prefix byte followed by the leaf's bytes (given as hex): what a leaf hash is taken over. */
function prefixedLeaf(hex: string, what: string): Buffer {
  const bytes = Buffer.allocUnsafe(1 + (hex.length >>> 1));
  bytes[0] = leafPrefix;
  // Buffer's hex decoding stops at the first pair that is not hex: a short count is the check.
  if (hex.length % 2 !== 0 || bytes.write(hex, 1, 'hex') * 2 !== hex.length) throw new TypeError(`${what} must be an even number of hex digits`);
  return bytes;
}

/** SHA-256(0x01 || left || right) of two SHA-256 digests, through one reused buffer: a tree of n leaves takes n - 1. */
const nodeInput = Buffer.alloc(65, nodePrefix);
function nodeHash(left: Buffer, right: Buffer): Buffer {
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 33);
  return sha256(nodeInput);
}

/** The largest power of two smaller than n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Merkle tree hash of leaf hashes [from, to). */
function subtreeHash(leafHashes: readonly Buffer[], from: number, to: number): Buffer {
  if (to - from === 1) return leafHashes[from]!;
  const k = splitPoint(to - from);
  return nodeHash(subtreeHash(leafHashes, from, from + k), subtreeHash(leafHashes, from + k, to));
}

const leafHashesOf = (leaves: readonly string[]): Buffer[] =>
  leaves.map((leaf, index) => sha256(prefixedLeaf(leaf, `leaf ${index}`)));

/** The hash of one leaf: SHA-256(0x00 || leaf bytes), the leaf given as hex (a record hash, for instance). */
export const merkleLeafHash = (leaf: string): string => sha256(prefixedLeaf(leaf, 'leaf')).toString('hex');

/** The root over the leaves in order (each given as hex bytes); the root of no leaves is SHA-256 of nothing. */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) return sha256(Buffer.alloc(0)).toString('hex');
  return subtreeHash(leafHashesOf(leaves), 0, leaves.length).toString('hex');
}

/** The audit path for leaf `index` (RFC 9162 section 2.1.3.1), nearest sibling first, as hex. */
export function inclusionProof(leaves: readonly string[], index: number): string[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`leaf index ${index} is outside a tree of ${leaves.length} leaves`);
  }
  const leafHashes = leafHashesOf(leaves);
  const path: Buffer[] = [];
  let from = 0;
  let to = leaves.length;
  // Walk down from the root, remembering the sibling subtree at each split; the path lists them bottom-up.
  while (to - from > 1) {
    const k = splitPoint(to - from);
    if (index < from + k) {
      path.push(subtreeHash(leafHashes, from + k, to));
      to = from + k;
    } else {
      path.push(subtreeHash(leafHashes, from, from + k));
      from += k;
    }
  }
  return path.reverse().map((hash) => hash.toString('hex'));
}

/**
 * Whether `proof` shows the leaf with hash `leafHash` (see merkleLeafHash) at `index` in a tree of `size` leaves
 * whose root is `root` (RFC 9162 section 2.1.3.2). Never throws: malformed input is simply not a proof.
 */
export function verifyInclusion(leafHash: string, index: number, size: number, proof: readonly string[], root: string): boolean {
  const isHash = (hex: string) => /^[0-9a-fA-F]{64}$/.test(hex);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (!isHash(leafHash) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let hash: Buffer = Buffer.from(leafHash, 'hex');
  for (const sibling of proof) {
    if (sn === 0) return false;
    const siblingBytes = Buffer.from(sibling, 'hex');
    if (fn % 2 === 1 || fn === sn) {
      hash = nodeHash(siblingBytes, hash);
      // Skip the levels where this node is the last, lone one: it was carried up without hashing.
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      hash = nodeHash(hash, siblingBytes);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && hash.equals(Buffer.from(root, 'hex'));
}
