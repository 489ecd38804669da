import { describe, expect, it } from 'vitest';
import { eventXmlLimits, readXml, type XmlElement } from './xml-reader.js';

function root(text: string): XmlElement {
  const result = readXml(text);
  if (!result.ok) throw new Error(result.reason);
  return result.root;
}

function reason(text: string): string {
  const result = readXml(text);
  if (result.ok) throw new Error('expected a refusal');
  return result.reason;
}

describe('readXml', () => {
  it('reads elements, attributes in either quote and text', () => {
    const event = root(
      `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>13</EventID>` +
        `<TimeCreated SystemTime="2024-03-04T10:15:30.1234567Z"/></System><EventData><Data Name='Details'>a</Data></EventData></Event>`,
    );
    expect(event.name).toBe('Event');
    expect(event.attributes.get('xmlns')).toBe('http://schemas.microsoft.com/win/2004/08/events/event');
    expect(event.children.map((child) => child.name)).toEqual(['System', 'EventData']);
    const [system, data] = event.children;
    expect(system?.children[0]).toEqual({ name: 'EventID', attributes: new Map(), children: [], text: '13' });
    expect(system?.children[1]?.attributes.get('SystemTime')).toBe('2024-03-04T10:15:30.1234567Z');
    expect(data?.children[0]?.text).toBe('a');
  });

  it('decodes the five predefined entities and character references', () => {
    expect(root('<a>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;</a>').text).toBe('<>&"\'AB\u{1F600}');
    expect(root('<a v="x&amp;y &#x9;z"/>').attributes.get('v')).toBe('x&y \tz');
  });

  it('normalises line ends in text and white space in attribute values', () => {
    expect(root('<a v="1\t2\r\n3">x\r\ny\rz</a>')).toMatchObject({ text: 'x\ny\nz', attributes: new Map([['v', '1 2 3']]) });
  });

  it('keeps CDATA verbatim and skips comments, the XML declaration and a byte-order mark', () => {
    expect(root('\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><a><!-- c --><![CDATA[<b>&amp;]]></a>\n').text).toBe('<b>&amp;');
  });

  it('keeps an element its own text, not its children\'s', () => {
    const a = root('<a> x <b>y</b> z </a>');
    expect(a.text).toBe(' x  z ');
    expect(a.children[0]?.text).toBe('y');
  });

  it.each([
    ['<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', 'document type declarations (DOCTYPE) are refused'],
    ['<!ENTITY x "y"><a/>', 'entity declarations are refused'],
    ['<a><!DOCTYPE a></a>', 'document type declarations (DOCTYPE) are refused'],
    ['<?xml-stylesheet href="x"?><a/>', 'processing instruction at offset 0 is refused'],
    ['<a><?php echo 1; ?></a>', 'processing instruction at offset 3 is refused'],
    ['<a>&x;</a>', 'entity &x; is not one of the five predefined entities'],
    ['<a>&nbsp;</a>', 'entity &nbsp; is not one of the five predefined entities'],
    ['<a>AT&T</a>', '"&" at offset 2 of a value starts no entity or character reference'],
    ['<a>&#0;</a>', 'character reference &#0; names a character XML does not allow'],
    ['<a>&#xD800;</a>', 'character reference &#xD800; names a character XML does not allow'],
    ['<a>&#x110000;</a>', 'character reference &#x110000; is beyond Unicode'],
    ['<a>\u0001</a>', 'character U+0001 is not allowed in XML'],
    ['<a>\uD800</a>', 'character U+D800 is not allowed in XML'],
    ['<a></b>', '</b> closes <a>'],
    ['<a>', 'element <a> is not closed'],
    ['<a/><b/>', 'unexpected content after the root element at offset 4'],
    ['<a/>text', 'unexpected content after the root element at offset 4'],
    ['text<a/>', 'no root element'],
    ['', 'no root element'],
    ['<a b="1" b="2"/>', 'attribute b repeated in <a>'],
    ['<a b=1/>', 'attribute b value is not quoted'],
    ['<a b="1/>', 'attribute b value is not closed'],
    ['<a b="<"/>', 'attribute b value contains "<"'],
    ['<a b/>', 'attribute b in <a> has no value'],
    ['<a b="1"c="2"/>', 'expected whitespace, ">" or "/>" in <a> at offset 8'],
    ['<1a/>', 'expected element name at offset 1'],
    ['<a>x]]>y</a>', '"]]>" is not allowed in text'],
    ['<a><![CDATA[x</a>', 'CDATA section is not closed'],
    ['<a><!-- x</a>', 'comment is not closed'],
  ])('refuses %j', (text, expected) => {
    expect(reason(text)).toBe(expected);
  });

  it('refuses deep nesting without exhausting the stack', () => {
    const depth = 100_000;
    expect(reason(`${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`)).toBe(`elements nested deeper than ${eventXmlLimits.maxDepth}`);
    expect(reason(`${'<a>'.repeat(eventXmlLimits.maxDepth)}<b/>${'</a>'.repeat(eventXmlLimits.maxDepth)}`)).toBe(
      `elements nested deeper than ${eventXmlLimits.maxDepth}`,
    );
    expect(root(`${'<a>'.repeat(eventXmlLimits.maxDepth)}${'</a>'.repeat(eventXmlLimits.maxDepth)}`).name).toBe('a');
  });

  it('refuses a huge attribute, too many attributes, too many elements and an oversized document', () => {
    expect(reason(`<a b="${'x'.repeat(eventXmlLimits.maxAttributeLength + 1)}"/>`)).toBe(
      `attribute b value longer than ${eventXmlLimits.maxAttributeLength} characters`,
    );
    const attributes = Array.from({ length: eventXmlLimits.maxAttributes + 1 }, (_, i) => `a${i}="1"`).join(' ');
    expect(reason(`<a ${attributes}/>`)).toBe(`more than ${eventXmlLimits.maxAttributes} attributes in <a>`);
    expect(reason(`<a>${'<b/>'.repeat(eventXmlLimits.maxElements)}</a>`)).toBe(`more than ${eventXmlLimits.maxElements} elements`);
    expect(reason(`<a>${'x'.repeat(eventXmlLimits.maxLength)}</a>`)).toBe(`XML longer than ${eventXmlLimits.maxLength} characters`);
  });

  it('does not expand entities a billion-laughs document declares', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>';
    expect(readXml(laughs)).toEqual({ ok: false, reason: 'document type declarations (DOCTYPE) are refused' });
  });
});
