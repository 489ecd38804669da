// The explicit list of components the service can run; nothing registers itself.
import type { Parser } from '../core/component.js';
import { athensParser } from '../normalize/athens/parser.js';

export const parsers: readonly Parser[] = [athensParser];
