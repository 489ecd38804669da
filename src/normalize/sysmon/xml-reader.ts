// A strict reader for the XML Windows renders for one event (EvtRender, Get-WinEvent's ToXml, wevtutil):
// elements, attributes, text, CDATA, comments, the five predefined entities and character references.
// Document type declarations, entity definitions and processing instructions are refused, never expanded.

export interface XmlElement {
  name: string;
  attributes: ReadonlyMap<string, string>;
  children: XmlElement[];
  /** The element's own text, decoded; its children's text is not part of it. */
  text: string;
}

export type XmlResult = { ok: true; root: XmlElement } | { ok: false; reason: string };

export interface XmlLimits {
  maxLength: number;
  maxDepth: number;
  maxElements: number;
  maxAttributes: number;
  maxAttributeLength: number;
}

/** Generous for any one event (Sysmon's are a few kilobytes, four levels deep), small enough to bound hostile input. */
export const eventXmlLimits: XmlLimits = {
  maxLength: 1_048_576,
  maxDepth: 32,
  maxElements: 4096,
  maxAttributes: 32,
  maxAttributeLength: 8192,
};

class XmlRefusal extends Error {}

const refuse = (reason: string): never => {
  throw new XmlRefusal(reason);
};

// XML 1.0 Char: tab, line feed, carriage return and the rest of Unicode but controls, surrogates and U+FFFE/U+FFFF.
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const name = /[A-Za-z_:][-A-Za-z0-9._:]*/y;
const whitespace = /[ \t\r\n]*/y;
const reference = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|([A-Za-z]+));/y;
const predefined: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const xmlDeclaration = /<\?xml[ \t\r\n][^?]*\?>/y;

export function readXml(text: string, limits: XmlLimits = eventXmlLimits): XmlResult {
  if (text.length > limits.maxLength) return { ok: false, reason: `XML longer than ${limits.maxLength} characters` };
  const invalid = notXmlChar.exec(text);
  if (invalid) {
    const code = invalid[0].codePointAt(0) ?? 0;
    return { ok: false, reason: `character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML` };
  }
  try {
    return { ok: true, root: new Reader(text, limits).document() };
  } catch (error) {
    if (error instanceof XmlRefusal) return { ok: false, reason: error.message };
    throw error;
  }
}

class Reader {
  private readonly text: string;
  private readonly limits: XmlLimits;
  private pos = 0;
  private elements = 0;

  constructor(text: string, limits: XmlLimits) {
    this.text = text;
    this.limits = limits;
  }

  document(): XmlElement {
    if (this.text.startsWith('\uFEFF')) this.pos = 1;
    xmlDeclaration.lastIndex = this.pos;
    if (xmlDeclaration.test(this.text)) this.pos = xmlDeclaration.lastIndex;
    this.skipMisc();
    if (!this.text.startsWith('<', this.pos) || this.atMarkup()) refuse('no root element');
    const root = this.element();
    this.skipMisc();
    if (this.pos < this.text.length) refuse(`unexpected content after the root element at offset ${this.pos}`);
    return root;
  }

  /** Whitespace and comments, and a refusal for declarations and processing instructions. */
  private skipMisc(): void {
    for (;;) {
      this.skipWhitespace();
      if (this.text.startsWith('<!--', this.pos)) this.comment();
      else if (this.atMarkup()) this.refuseMarkup();
      else return;
    }
  }

  private atMarkup(): boolean {
    return this.text.startsWith('<!', this.pos) || this.text.startsWith('<?', this.pos);
  }

  private refuseMarkup(): never {
    if (this.text.startsWith('<!DOCTYPE', this.pos)) return refuse('document type declarations (DOCTYPE) are refused');
    if (this.text.startsWith('<!ENTITY', this.pos)) return refuse('entity declarations are refused');
    if (this.text.startsWith('<?', this.pos)) return refuse(`processing instruction at offset ${this.pos} is refused`);
    return refuse(`markup declaration at offset ${this.pos} is refused`);
  }

  /** Reads one element and everything in it, without recursion so that depth costs no stack. */
  private element(): XmlElement {
    const stack: XmlElement[] = [];
    let root: XmlElement | undefined;
    for (;;) {
      if (stack.length >= this.limits.maxDepth) refuse(`elements nested deeper than ${this.limits.maxDepth}`);
      const open = this.startTag();
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(open.element);
      else root = open.element;
      if (!open.selfClosing) stack.push(open.element);
      // Content until the next start tag, or until the stack is empty.
      for (;;) {
        const current = stack[stack.length - 1];
        if (!current) return root ?? refuse('no root element');
        const next = this.text.indexOf('<', this.pos);
        if (next < 0) return refuse(`element <${current.name}> is not closed`);
        if (next > this.pos) current.text += this.decodeText(this.text.slice(this.pos, next));
        this.pos = next;
        if (this.text.startsWith('</', this.pos)) {
          this.endTag(current.name);
          stack.pop();
        } else if (this.text.startsWith('<!--', this.pos)) {
          this.comment();
        } else if (this.text.startsWith('<![CDATA[', this.pos)) {
          current.text += this.cdata();
        } else if (this.atMarkup()) {
          this.refuseMarkup();
        } else {
          break;
        }
      }
    }
  }

  private startTag(): { element: XmlElement; selfClosing: boolean } {
    this.elements += 1;
    if (this.elements > this.limits.maxElements) refuse(`more than ${this.limits.maxElements} elements`);
    this.pos += 1; // '<'
    const elementName = this.name('element name');
    const attributes = new Map<string, string>();
    for (;;) {
      const before = this.pos;
      this.skipWhitespace();
      if (this.pos >= this.text.length) refuse(`XML ends inside the tag <${elementName}>`);
      if (this.text.startsWith('/>', this.pos)) {
        this.pos += 2;
        return { element: { name: elementName, attributes, children: [], text: '' }, selfClosing: true };
      }
      if (this.text.startsWith('>', this.pos)) {
        this.pos += 1;
        return { element: { name: elementName, attributes, children: [], text: '' }, selfClosing: false };
      }
      if (this.pos === before) refuse(`expected whitespace, ">" or "/>" in <${elementName}> at offset ${this.pos}`);
      const attributeName = this.name(`attribute name in <${elementName}>`);
      if (attributes.has(attributeName)) refuse(`attribute ${attributeName} repeated in <${elementName}>`);
      if (attributes.size >= this.limits.maxAttributes) refuse(`more than ${this.limits.maxAttributes} attributes in <${elementName}>`);
      this.skipWhitespace();
      if (!this.text.startsWith('=', this.pos)) refuse(`attribute ${attributeName} in <${elementName}> has no value`);
      this.pos += 1;
      this.skipWhitespace();
      attributes.set(attributeName, this.attributeValue(attributeName));
    }
  }

  private attributeValue(attributeName: string): string {
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") return refuse(`attribute ${attributeName} value is not quoted`);
    const end = this.text.indexOf(quote, this.pos + 1);
    if (end < 0) return refuse(`attribute ${attributeName} value is not closed`);
    if (end - this.pos - 1 > this.limits.maxAttributeLength) {
      return refuse(`attribute ${attributeName} value longer than ${this.limits.maxAttributeLength} characters`);
    }
    const raw = this.text.slice(this.pos + 1, end);
    if (raw.includes('<')) refuse(`attribute ${attributeName} value contains "<"`);
    this.pos = end + 1;
    // Attribute-value normalisation: literal white space becomes a space; references keep what they name.
    return this.decodeReferences(raw.replace(/\r\n|[\t\n\r]/g, ' '));
  }

  private endTag(expected: string): void {
    this.pos += 2; // '</'
    const closing = this.name('closing tag name');
    if (closing !== expected) refuse(`</${closing}> closes <${expected}>`);
    this.skipWhitespace();
    if (!this.text.startsWith('>', this.pos)) refuse(`closing tag </${closing}> is not closed`);
    this.pos += 1;
  }

  private comment(): void {
    const end = this.text.indexOf('-->', this.pos + 4);
    if (end < 0) refuse('comment is not closed');
    this.pos = end + 3;
  }

  private cdata(): string {
    const start = this.pos + '<![CDATA['.length;
    const end = this.text.indexOf(']]>', start);
    if (end < 0) return refuse('CDATA section is not closed');
    this.pos = end + 3;
    return this.text.slice(start, end).replace(/\r\n?/g, '\n');
  }

  private name(what: string): string {
    name.lastIndex = this.pos;
    const match = name.exec(this.text);
    if (!match) return refuse(`expected ${what} at offset ${this.pos}`);
    this.pos = name.lastIndex;
    return match[0];
  }

  private skipWhitespace(): void {
    whitespace.lastIndex = this.pos;
    whitespace.test(this.text);
    this.pos = whitespace.lastIndex;
  }

  private decodeText(raw: string): string {
    if (raw.includes(']]>')) refuse('"]]>" is not allowed in text');
    return this.decodeReferences(raw.replace(/\r\n?/g, '\n'));
  }

  private decodeReferences(raw: string): string {
    if (!raw.includes('&')) return raw;
    let out = '';
    let at = 0;
    for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', at)) {
      out += raw.slice(at, amp);
      reference.lastIndex = amp;
      const match = reference.exec(raw);
      if (!match) return refuse(`"&" at offset ${amp} of a value starts no entity or character reference`);
      out += this.referenced(match);
      at = reference.lastIndex;
    }
    return out + raw.slice(at);
  }

  private referenced(match: RegExpExecArray): string {
    const [whole, hex, decimal, entity] = match;
    if (entity !== undefined) {
      const value = Object.hasOwn(predefined, entity) ? predefined[entity] : undefined;
      return value ?? refuse(`entity ${whole} is not one of the five predefined entities`);
    }
    const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
    if (code > 0x10ffff) return refuse(`character reference ${whole} is beyond Unicode`);
    const character = String.fromCodePoint(code);
    if (notXmlChar.test(character)) return refuse(`character reference ${whole} names a character XML does not allow`);
    return character;
  }
}
