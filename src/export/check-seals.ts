// The seals of a bundle, one at a time: each signature once, then each link between neighbours with src/integrity's
// verifyChain on the pair, so memory holds two seals and the compact entry index, never every seal.
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { sha256Hex } from '../integrity/digest.js';
import { streamName } from '../integrity/problems.js';
import type { Seal } from '../integrity/seal-format.js';
import { verifySealJws } from '../integrity/seal.js';
import { verifyChain } from '../integrity/verify.js';
import { present, type BundleCheck } from './bundle-check.js';
import { bundleFiles } from './bundle-layout.js';
import { fileLines } from './bundle-reading.js';
import { SealEntryIndex } from './seal-entry-index.js';

export async function checkSeals(check: BundleCheck, jwks: JSONWebKeySet): Promise<SealEntryIndex> {
  const index = new SealEntryIndex();
  const sealsInFile = new Set<string>();
  const listedSeals = new Set(check.manifest.seals.map((seal) => seal.hash));
  let previous: { jws: string; stream: string } | undefined;
  let sealIndex = 0;
  let explicitGaps = 0;
  const sealedGaps = (seal: Seal) => {
    // Runs of gaps with one reason, reported once each, as verifyChain does for the online verify.
    let run: { first: string; last: string; reason: string } | undefined;
    const close = () => {
      if (run === undefined) return;
      const offsets = { first: run.first, last: run.last };
      explicitGaps += Number(BigInt(run.last) - BigInt(run.first) + 1n);
      const detail = `${streamName(seal.stream)} offsets ${run.first}..${run.last} hold nothing, sealed as a gap in seal ${seal.sequence}: ${run.reason}`;
      if (!check.allowGaps) check.problems.push({ kind: 'offset_gap', explicitGap: true, stream: seal.stream, sequence: seal.sequence, offsets, file: bundleFiles.seals, detail });
      run = undefined;
    };
    for (const entry of seal.records) {
      if (entry.kind === 'gap' && run?.reason === entry.reason && BigInt(run.last) + 1n === BigInt(entry.offset)) run.last = entry.offset;
      else {
        close();
        if (entry.kind === 'gap') run = { first: entry.offset, last: entry.offset, reason: entry.reason };
      }
    }
    close();
  };
  if (present(check, bundleFiles.seals)) {
    for await (const { text } of fileLines(join(check.dir, bundleFiles.seals))) {
      const jws = text.trim();
      if (jws === '') continue;
      check.checked.seals++;
      const position = sealIndex++;
      const hash = payloadHash(jws);
      if (!listedSeals.has(hash)) check.problems.push({ kind: 'seal_unlisted', file: bundleFiles.seals, detail: `seal ${position} of ${bundleFiles.seals} (hash ${hash}) is not in the manifest` });
      const sealed = await verifySealJws(jws, jwks);
      if (!sealed.ok) {
        // verifyChain names the failure and what the seal claims to be.
        for (const problem of await verifyChain({ seals: [jws], records: [], jwks })) {
          if (problem.kind === 'bad_signature') check.problems.push({ ...problem, sealIndex: position, file: bundleFiles.seals, detail: `${bundleFiles.seals} line ${position + 1}: ${problem.detail}` });
        }
        continue;
      }
      sealsInFile.add(sealed.hash);
      index.add(sealed.seal);
      sealedGaps(sealed.seal);
      const stream = `${sealed.seal.stream.topic}\u0000${sealed.seal.stream.partition}`;
      if (previous?.stream === stream) {
        for (const problem of await verifyChain({ seals: [previous.jws, jws], records: [], jwks })) {
          // Only what is about the link: entries are checked below, explicit gaps above (once per seal).
          if (problem.kind === 'record_deleted' || problem.kind === 'bad_signature' || problem.explicitGap === true) continue;
          check.problems.push({ ...problem, file: bundleFiles.seals });
        }
      }
      previous = { jws, stream };
    }
  }
  for (const seal of check.manifest.seals) {
    if (!sealsInFile.has(seal.hash)) {
      check.problems.push({ kind: 'seal_missing', stream: seal.stream, sequence: seal.sequence, offsets: seal.offsets, detail: `${streamName(seal.stream)} seal ${seal.sequence} (offsets ${seal.offsets.first}..${seal.offsets.last}) is listed in the manifest but not in ${bundleFiles.seals} with a valid signature` });
    }
  }
  if (explicitGaps > 0 && check.allowGaps) check.notices.push(`${explicitGaps} offsets are sealed as explicit gaps (no message at those offsets; each with its reason in the seal)`);
  return index;
}

/** SHA-256 of a JWS's payload bytes: how the manifest and the chain name a seal. */
const payloadHash = (jws: string): string => sha256Hex(Buffer.from(jws.split('.')[1] ?? '', 'base64url'));
