import { describe, expect, it } from 'vitest';
import { escapePath, escapeVersion, unescapePath, unescapeVersion, type EscapeResult } from './case-escape.js';
import { seededRandom } from '../../../test/support/seeded-random.js';
import { checkModulePath } from './module-path.js';

const valueOf = (result: EscapeResult): string => {
  if (!result.ok) throw new Error(result.error);
  return result.value;
};

const lower = 'abcdefghijklmnopqrstuvwxyz';
const upper = lower.toUpperCase();
const digits = '0123456789';
const windowsName = /^(?:con|prn|aux|nul|com[1-9]|lpt[1-9])(?:\.|$)/i;

function pick(random: () => number, alphabet: string): string {
  return alphabet.charAt(Math.floor(random() * alphabet.length));
}

function word(random: () => number, alphabet: string, min: number, max: number): string {
  const length = min + Math.floor(random() * (max - min + 1));
  let text = '';
  for (let i = 0; i < length; i++) text += pick(random, alphabet);
  return text;
}

/** A valid module path: a lower-case host with a dot, then mixed-case elements with `.-_~`, avoiding /vN endings. */
function randomModulePath(random: () => number): string {
  const host = `${word(random, lower + digits, 1, 8)}.${word(random, lower + digits + '-', 0, 5)}${word(random, lower, 1, 4)}`;
  const elements = [host];
  const count = Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    // Letters or digits at both ends keep clear of leading and trailing dots; the final "x" of /vN suffixes.
    const edge = lower + upper + digits;
    const middle = word(random, lower + upper + digits + '.-_~', 0, 10).replace(/\.{2,}/g, '.');
    const element = `${pick(random, edge)}${middle}${pick(random, edge)}x`;
    elements.push(windowsName.test(element) ? `w${element}` : element);
  }
  return elements.join('/');
}

describe('escapePath / unescapePath', () => {
  it.each([
    ['github.com/Azure/azure-sdk-for-go', 'github.com/!azure/azure-sdk-for-go'],
    ['github.com/BurntSushi/toml', 'github.com/!burnt!sushi/toml'],
    ['golang.org/x/text', 'golang.org/x/text'],
    ['gopkg.in/yaml.v3', 'gopkg.in/yaml.v3'],
  ])('%s ⇄ %s', (path, escaped) => {
    expect(valueOf(escapePath(path))).toBe(escaped);
    expect(valueOf(unescapePath(escaped))).toBe(path);
  });

  it.each([
    ['github.com/Azure/x', 'upper-case letter "A" must be written as "!a"'],
    ['github.com/!1', '"!" followed by "1", not a lower-case letter'],
    ['github.com/!!a', '"!" followed by "!", not a lower-case letter'],
    ['github.com/foo!', 'trailing "!"'],
    ['github.com/føo', 'non-ASCII character "ø"'],
    ['example.com/!c!o!n', '"CON" disallowed as path element component on Windows'],
    ['Github.com/x', 'upper-case letter "G" must be written as "!g"'],
    ['!github.com/x', 'invalid char "G" in first path element'],
  ])('refuses %s', (escaped, reason) => {
    expect(unescapePath(escaped)).toEqual({ ok: false, error: `invalid escaped module path ${JSON.stringify(escaped)}: ${reason}` });
  });

  it('refuses to escape what cannot be a module path', () => {
    expect(escapePath('github.com/a!b').ok).toBe(false);
    expect(escapePath('Example.com/x').ok).toBe(false);
    expect(escapePath('example.com/x/').ok).toBe(false);
  });

  it('round-trips randomly generated module paths, and escaped forms have no upper case (seed 20240102)', () => {
    const random = seededRandom(20240102);
    for (let i = 0; i < 2000; i++) {
      const path = randomModulePath(random);
      expect(checkModulePath(path), path).toBeUndefined();
      const escaped = valueOf(escapePath(path));
      expect(escaped, path).not.toMatch(/[A-Z]/);
      expect(valueOf(unescapePath(escaped)), path).toBe(path);
    }
  });
});

describe('escapeVersion / unescapeVersion', () => {
  it.each([
    ['v1.9.3-RC1', 'v1.9.3-!r!c1'],
    ['v24.0.7+incompatible', 'v24.0.7+incompatible'],
    ['v0.0.0-20240101120000-abcdef123456', 'v0.0.0-20240101120000-abcdef123456'],
  ])('%s ⇄ %s', (version, escaped) => {
    expect(valueOf(escapeVersion(version))).toBe(escaped);
    expect(valueOf(unescapeVersion(escaped))).toBe(version);
  });

  it('refuses bad escapes and invalid file names', () => {
    expect(unescapeVersion('V1.0.0').ok).toBe(false);
    expect(unescapeVersion('v1.0.0!').ok).toBe(false);
    expect(unescapeVersion('v1.0.0.').ok).toBe(false);
    expect(unescapeVersion('').ok).toBe(false);
    expect(unescapeVersion('v1*').ok).toBe(false);
    expect(escapeVersion('v1!').ok).toBe(false);
  });
});
