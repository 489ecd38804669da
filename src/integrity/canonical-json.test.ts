import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalBytes, canonicalize } from './canonical-json.js';
import { seededRandom as seeded } from '../../test/support/seeded-random.js';

/** The IEEE 754 double whose bits are the 16 hex digits given. */
function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalize: RFC 8785 examples', () => {
  // RFC 8785 Appendix B, "Number Serialization Samples": IEEE 754 bit patterns and their canonical text.
  // (The table's NaN and Infinity rows are errors; they are tested with the other refusals below.)
  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('Appendix B: %s is %s', (bits, expected) => {
    expect(canonicalize(fromBits(bits))).toBe(expected);
  });

  it.each([['7fffffffffffffff'], ['7ff0000000000000'], ['fff0000000000000']])(
    'Appendix B: %s (NaN or an infinity) is refused',
    (bits) => {
      expect(() => canonicalize(fromBits(bits))).toThrow(CanonicalJsonError);
    },
  );

  // RFC 8785 section 3.2.2 (input) and 3.2.3 (output): numbers, escaping and literals in one sample object.
  const section322Input = String.raw`{
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  }`;
  const section323Output = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;

  it('section 3.2.3: the sample object comes out as the RFC prints it', () => {
    expect(canonicalize(JSON.parse(section322Input))).toBe(section323Output);
  });

  it('section 3.2.4: and as UTF-8, byte for byte', () => {
    const expectedHex =
      '7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b3333333333333333332e33333333' +
      '3333332c31652b33302c342e352c302e3030322c31652d32375d2c22737472696e67223a22e282ac245c75303030665c6e4127425c225c' +
      '5c5c5c5c222f227d';
    expect(Buffer.from(canonicalBytes(JSON.parse(section322Input))).toString('hex')).toBe(expectedHex);
  });

  it('section 3.2.3: members sorted by UTF-16 code units (the emoji before U+FB33)', () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`) as Record<string, string>;
    const output = canonicalize(input);
    expect(output).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });
});

describe('canonicalize: rules', () => {
  it('sorts at every depth, keeps array order, writes no whitespace', () => {
    expect(canonicalize({ b: [{ z: 1, a: 2 }, 3], a: { d: true, c: null } })).toBe('{"a":{"c":null,"d":true},"b":[{"a":2,"z":1},3]}');
  });

  it('omits undefined members, as JSON.stringify does', () => {
    expect(canonicalize({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('writes -0 as 0, nested too', () => {
    expect(canonicalize({ n: [-0] })).toBe('{"n":[0]}');
  });

  it('escapes control characters as JSON.stringify does, and leaves DEL and non-ASCII alone', () => {
    expect(canonicalize('\u0000\u0008\u0009\u000a\u000c\u000d\u001f\u007f"\\/é')).toBe('"\\u0000\\b\\t\\n\\f\\r\\u001f\u007f\\"\\\\/é"');
  });

  it('leaves out symbol-keyed members, as JSON.stringify does (they are not JSON data, and never stored)', () => {
    expect(canonicalize({ b: 1, [Symbol('k')]: 2, a: { [Symbol('j')]: 3 } })).toBe('{"a":{},"b":1}');
  });

  it('writes only own members even when Object.prototype has an enumerable one (a polluted prototype)', () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.polluted = 'yes';
    try {
      // The first object has the name as its own; the second inherits it, and must not be written with it.
      expect(canonicalize({ a: 1, polluted: 'own' })).toBe('{"a":1,"polluted":"own"}');
      expect(canonicalize({ a: 1 })).toBe('{"a":1}');
      expect(canonicalize({ b: 1, a: { c: 2 } })).toBe('{"a":{"c":2},"b":1}');
    } finally {
      delete prototype.polluted;
    }
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, number>;
    bare.b = 2;
    bare.a = 1;
    expect(canonicalize(bare)).toBe('{"a":1,"b":2}');
  });

  it('serializes a value nested deeper than any record, as it does a shallow one', () => {
    let deep: unknown = { leaf: 'x' };
    for (let depth = 0; depth < 200; depth++) deep = depth % 2 === 0 ? [deep] : { z: deep, a: depth };
    expect(canonicalize(deep)).toBe(reference(deep));
  });

  it('accepts a shared (non-cyclic) reference twice', () => {
    const shared = { x: 1 };
    expect(canonicalize({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });

  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = { back: cyclic };
  const cyclicArray: unknown[] = [];
  cyclicArray.push(cyclicArray);

  it.each<[string, unknown, RegExp]>([
    ['NaN', { n: Number.NaN }, /NaN is not a JSON number at \$\.n/],
    ['Infinity', [1, Number.POSITIVE_INFINITY], /Infinity is not a JSON number at \$\[1\]/],
    ['-Infinity', -Infinity, /-Infinity is not a JSON number at \$/],
    ['bigint', { big: 10n }, /bigint is not JSON data at \$\.big/],
    ['function', { f: () => 1 }, /function is not JSON data at \$\.f/],
    ['symbol', { s: Symbol('s') }, /symbol is not JSON data at \$\.s/],
    ['undefined at the top', undefined, /undefined is not JSON data at \$/],
    ['undefined in an array', [undefined], /undefined is not JSON data at \$\[0\]/],
    ['sparse array', [1, , 3], /sparse array hole at \$\[1\]/],
    ['Date', { when: new Date(0) }, /Date is not a plain object at \$\.when/],
    ['Map', new Map(), /Map is not a plain object at \$/],
    ['Buffer', { raw: Buffer.from('x') }, /Buffer is not a plain object at \$\.raw/],
    ['cycle through an object', cyclic, /cycle at \$\.self\.back/],
    ['cycle through an array', cyclicArray, /cycle at \$\[0\]/],
    ['lone high surrogate', { s: 'a\ud800' }, /lone surrogate in a string at \$\.s/],
    ['lone low surrogate in a name', { ['\udc00']: 1 }, /lone surrogate in a string at \$\["\\udc00"\]/],
  ])('refuses %s with a clear error', (_name, value, message) => {
    expect(() => canonicalize(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalize(value)).toThrow(message);
  });
});


const alphabet = ['a', 'B', 'z', '0', ' ', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', '€', '\ufb33', '😀', '\u2028'];
const specialNumbers = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, -Number.MAX_SAFE_INTEGER, 333333333.33333329];

function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 5 : 8));
  const text = () => Array.from({ length: Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return specialNumbers[Math.floor(random() * specialNumbers.length)];
    case 3:
      // Arbitrary doubles, including ones that need 17 significant digits.
      return (random() - 0.5) * 10 ** Math.floor(random() * 60 - 30);
    case 4:
      return text();
    case 5:
    case 6: {
      const object: Record<string, unknown> = {};
      for (let index = Math.floor(random() * 5); index > 0; index--) object[text()] = randomValue(random, depth + 1);
      return object;
    }
    default:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  }
}

/**
 * The plainest reading of RFC 8785 for well-formed data, as a reference: members sorted by code units, everything
 * else as JSON.stringify writes it. (A sorted copy through JSON.stringify would not do: integer-like names come first.)
 */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const members = Object.keys(value)
    .sort()
    .filter((name) => (value as Record<string, unknown>)[name] !== undefined)
    .map((name) => `${JSON.stringify(name)}:${reference((value as Record<string, unknown>)[name])}`);
  return `{${members.join(',')}}`;
}

/** The same value with every object's members inserted in a shuffled order. */
function shuffleMembers(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleMembers(item, random));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let index = entries.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [entries[index], entries[other]] = [entries[other]!, entries[index]!];
  }
  return Object.fromEntries(entries.map(([name, member]) => [name, shuffleMembers(member, random)]));
}

describe('canonicalize: properties over 500 generated values', () => {
  const seeds = Array.from({ length: 500 }, (_, index) => index + 1);

  it('is a fixed point: canonicalize(JSON.parse(canonicalize(x))) === canonicalize(x)', () => {
    for (const seed of seeds) {
      const value = randomValue(seeded(seed), 0);
      const once = canonicalize(value);
      expect(canonicalize(JSON.parse(once)), `seed ${seed}`).toBe(once);
    }
  });

  it('does not depend on member order', () => {
    for (const seed of seeds) {
      const random = seeded(seed);
      const value = randomValue(random, 0);
      expect(canonicalize(shuffleMembers(value, random)), `seed ${seed}`).toBe(canonicalize(value));
    }
  });

  it('is the plainest reading of the RFC, members sorted and the rest as JSON.stringify writes it', () => {
    for (const seed of seeds) {
      const value = randomValue(seeded(seed), 0);
      expect(canonicalize(value), `seed ${seed}`).toBe(reference(value));
    }
  });

  it('means what JSON.stringify means: parsing either gives the same data', () => {
    for (const seed of seeds) {
      const value = randomValue(seeded(seed), 0);
      expect(JSON.parse(canonicalize(value)), `seed ${seed}`).toEqual(JSON.parse(JSON.stringify(value)));
    }
  });
});
