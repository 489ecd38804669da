// The explicit list of components the service can run; nothing registers itself.
import type { Parser } from '../core/component.js';
import { agentParser } from '../normalize/agent/parser.js';
import { artifactoryAccessParser } from '../normalize/artifactory-access/parser.js';
import { artifactoryRequestParser } from '../normalize/artifactory-request/parser.js';
import { athensParser } from '../normalize/athens/parser.js';
import { modtrailApiParser } from '../normalize/modtrail-api/parser.js';
import { modtrailLifecycleParser } from '../normalize/modtrail-lifecycle/parser.js';
import { nexusRequestParser } from '../normalize/nexus-request/parser.js';
import { sysmonParser } from '../normalize/sysmon/parser.js';

export const parsers: readonly Parser[] = [
  athensParser,
  artifactoryRequestParser,
  artifactoryAccessParser,
  nexusRequestParser,
  agentParser,
  sysmonParser,
  modtrailApiParser,
  modtrailLifecycleParser,
];
