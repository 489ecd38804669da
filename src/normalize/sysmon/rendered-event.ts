// Sysmon events as Windows renders them to XML (EvtRender, Get-WinEvent's ToXml(), wevtutil qe /f:xml).
import { readXml, type XmlElement } from './xml-reader.js';
import { malformedEvent, sysmonProvider, type SysmonEventResult } from './sysmon-event.js';

const eventNamespace = 'http://schemas.microsoft.com/win/2004/08/events/event';

export function readRenderedEvent(xml: string): SysmonEventResult {
  const read = readXml(xml);
  if (!read.ok) return malformedEvent(`not well-formed event XML: ${read.reason}`);
  const { root } = read;
  if (root.name !== 'Event') return malformedEvent(`root element <${root.name}> is not <Event>`);
  const namespace = root.attributes.get('xmlns');
  if (namespace !== undefined && namespace !== eventNamespace) {
    return malformedEvent(`<Event> namespace ${JSON.stringify(namespace)} is not the Windows event schema`);
  }
  const system = childNamed(root, 'System');
  if (!system) return malformedEvent('<Event> has no <System>');
  const provider = childNamed(system, 'Provider')?.attributes.get('Name');
  if (provider !== undefined && provider !== sysmonProvider) {
    return malformedEvent(`provider ${JSON.stringify(provider)} is not ${sysmonProvider}`);
  }
  const idText = childNamed(system, 'EventID')?.text.trim();
  if (idText === undefined) return malformedEvent('<System> has no <EventID>');
  if (!/^[0-9]{1,5}$/.test(idText)) return malformedEvent(`EventID ${JSON.stringify(idText)} is not a number`);

  const data = new Map<string, string>();
  for (const item of childNamed(root, 'EventData')?.children ?? []) {
    if (item.name !== 'Data') continue;
    const name = item.attributes.get('Name');
    if (name === undefined) return malformedEvent('<Data> without a Name in <EventData>');
    if (data.has(name)) return malformedEvent(`<EventData> names ${name} twice`);
    data.set(name, item.text);
  }
  const computer = childNamed(system, 'Computer')?.text.trim();
  const timeCreated = childNamed(system, 'TimeCreated')?.attributes.get('SystemTime');
  return {
    ok: true,
    event: {
      eventId: Number(idText),
      data,
      ...(computer === undefined || computer === '' ? {} : { computer }),
      ...(timeCreated === undefined ? {} : { loggedAt: { field: 'TimeCreated SystemTime', text: timeCreated } }),
    },
  };
}

function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}
