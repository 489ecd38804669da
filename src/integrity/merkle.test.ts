import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inclusionProof, merkleLeafHash, merkleRoot, verifyInclusion } from './merkle.js';

// Certificate Transparency reference vectors for RFC 6962 / RFC 9162 trees, as published in
// github.com/transparency-dev/merkle (testonly/constants.go: leaf inputs and the root for each tree size;
// proof/verify_test.go: inclusion proofs). Leaves are given as hex bytes.
const referenceLeaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const referenceRoots = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// proof/verify_test.go lists leaves 1-based; the indexes here are 0-based.
const referenceProofs: { index: number; size: number; proof: string[] }[] = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('merkleRoot: reference vectors', () => {
  it.each(referenceRoots.map((root, size) => [size, root] as const))('a tree of %i leaves has the published root', (size, root) => {
    expect(merkleRoot(referenceLeaves.slice(0, size))).toBe(root);
  });

  it('hashes a leaf with the 0x00 prefix', () => {
    expect(merkleLeafHash('')).toBe(referenceRoots[1]);
  });
});

describe('inclusionProof: reference vectors', () => {
  it.each(referenceProofs)('leaf $index of $size has the published proof, and it verifies', ({ index, size, proof }) => {
    const leaves = referenceLeaves.slice(0, size);
    expect(inclusionProof(leaves, index)).toEqual(proof);
    expect(verifyInclusion(merkleLeafHash(leaves[index]!), index, size, proof, referenceRoots[size]!)).toBe(true);
  });

  it('a tree of one leaf has an empty proof', () => {
    expect(inclusionProof(['00'], 0)).toEqual([]);
    expect(verifyInclusion(merkleLeafHash('00'), 0, 1, [], merkleRoot(['00']))).toBe(true);
  });

  it.each([[-1], [3], [1.5]])('refuses leaf index %s in a tree of 3', (index) => {
    expect(() => inclusionProof(['00', '01', '02'], index)).toThrow(RangeError);
  });

  it('refuses a leaf that is not hex', () => {
    expect(() => merkleRoot(['zz'])).toThrow(/leaf 0 must be an even number of hex digits/);
  });
});

describe('inclusion proofs: properties over every tree of 1 to 40 record hashes', () => {
  const hashes = Array.from({ length: 40 }, (_, index) => sha256(`record ${index}`));

  it("every leaf's proof verifies, and a changed leaf, index, size, root or path does not", () => {
    for (let size = 1; size <= hashes.length; size++) {
      const leaves = hashes.slice(0, size);
      const root = merkleRoot(leaves);
      for (let index = 0; index < size; index++) {
        const leaf = merkleLeafHash(leaves[index]!);
        const proof = inclusionProof(leaves, index);
        const at = `size ${size} index ${index}`;
        expect(proof.length, at).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
        expect(verifyInclusion(leaf, index, size, proof, root), at).toBe(true);
        expect(verifyInclusion(merkleLeafHash(sha256('forged')), index, size, proof, root), at).toBe(false);
        // The record hash itself is not the leaf hash: the 0x00 prefix separates leaves from nodes.
        if (size > 1) expect(verifyInclusion(leaves[index]!, index, size, proof, root), at).toBe(false);
        if (size > 1) expect(verifyInclusion(leaf, (index + 1) % size, size, proof, root), at).toBe(false);
        expect(verifyInclusion(leaf, index, size * 2, proof, root), at).toBe(false);
        expect(verifyInclusion(leaf, index, size, proof, merkleRoot([...leaves, sha256('extra')])), at).toBe(false);
        expect(verifyInclusion(leaf, index, size, [...proof, root], root), at).toBe(false);
        if (proof.length > 0) {
          expect(verifyInclusion(leaf, index, size, proof.slice(1), root), at).toBe(false);
          const flipped = proof.map((hash, position) => (position === 0 ? `${hash[0] === '0' ? '1' : '0'}${hash.slice(1)}` : hash));
          expect(verifyInclusion(leaf, index, size, flipped, root), at).toBe(false);
        }
      }
    }
  });

  it('changing, swapping, adding or dropping a leaf changes the root', () => {
    const root = merkleRoot(hashes);
    expect(merkleRoot(hashes.map((hash, index) => (index === 17 ? sha256('tampered') : hash)))).not.toBe(root);
    expect(merkleRoot([hashes[1]!, hashes[0]!, ...hashes.slice(2)])).not.toBe(root);
    expect(merkleRoot([...hashes, sha256('extra')])).not.toBe(root);
    expect(merkleRoot(hashes.slice(1))).not.toBe(root);
  });

  it('never throws on malformed proofs, it just says no', () => {
    const leaf = merkleLeafHash(hashes[0]!);
    expect(verifyInclusion(leaf, 0, 2, ['not hex'], merkleRoot(hashes.slice(0, 2)))).toBe(false);
    expect(verifyInclusion('short', 0, 1, [], leaf)).toBe(false);
    expect(verifyInclusion(leaf, 0, 0, [], leaf)).toBe(false);
    expect(verifyInclusion(leaf, Number.NaN, 1, [], leaf)).toBe(false);
  });
});
