// The state one bundle verification shares between its steps.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportProblem } from './export-problems.js';
import type { Manifest } from './manifest.js';

export interface BundleCheck {
  dir: string;
  /** The manifest as verified, or as claimed when its signature failed. */
  manifest: Manifest;
  problems: ExportProblem[];
  notices: string[];
  checked: { records: number; sealedRecords: number; contextRecords: number; seals: number; deadLetters: number };
  allowGaps: boolean;
}

/** Whether the manifest lists the file and it is there (a missing one is reported once, by the digest step). */
export const present = (check: BundleCheck, name: string): boolean => check.manifest.files.some((file) => file.name === name) && existsSync(join(check.dir, name));
