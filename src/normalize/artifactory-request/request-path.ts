// What an Artifactory request addressed: the Go API (/api/go/<repo>/…), a repository's own files
// (/<repo>/…), or Artifactory itself; and whether it wrote to a Go repository.
import { readProxyPath, type ProxyRequest } from '../goproxy-path/goproxy-path.js';

export type ArtifactoryAction = ProxyRequest['action'] | 'module.deploy' | 'module.delete';

export interface ArtifactoryRequest extends Omit<ProxyRequest, 'action'> {
  action: ArtifactoryAction;
  /** Addressed to a Go repository or named a Go proxy resource. */
  go: boolean;
}

/** Artifactory serves a repository's files at /<repo-key>/<path>; the request log leaves out the /artifactory context. */
const repositoryFilePath = /^\/?(?:artifactory\/)?([A-Za-z0-9][A-Za-z0-9._-]*)\/([^?#]*)/;
/** First path segments that are Artifactory's own, never a repository key. */
const reservedSegments = new Set(['api', 'ui', 'webapp', 'list', 'static', 'router', 'access']);

export function classifyRequest(method: string, url: string): ArtifactoryRequest {
  const request = readPath(url);
  const go = request.repository !== undefined || isGoAction(request.action);
  // Writes into a Go repository are the sensitive actions: a module published or removed.
  const action = go && method === 'PUT' ? 'module.deploy' : go && method === 'DELETE' ? 'module.delete' : request.action;
  // One literal rather than a spread of the shared path reading: fields the path lacks are present but undefined.
  return {
    action,
    go,
    module: request.module,
    version: request.version,
    repository: request.repository,
    sumdb: request.sumdb,
    pathError: request.pathError,
  };
}

function readPath(url: string): Readonly<ProxyRequest> {
  const request = readProxyPath(url);
  if (request.repository !== undefined || request.module !== undefined) return request;
  if (request.action !== 'proxy.other' && !isGoAction(request.action)) return request;
  // Not a GOPROXY path as it stands: it may be a Go module's file under its repository's key.
  const file = repositoryFilePath.exec(url);
  if (!file || reservedSegments.has(file[1] ?? '')) return request;
  const inRepository = readProxyPath(`/${file[2] ?? ''}`);
  if (inRepository.repository !== undefined || !isGoAction(inRepository.action)) return request;
  return { ...inRepository, repository: file[1] ?? '' };
}

const isGoAction = (action: string): boolean => action.startsWith('module.') || action.startsWith('sumdb.');
