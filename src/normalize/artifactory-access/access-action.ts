// What an access-log verdict did, in modtrail's action names: Go module actions when the repository path is a
// GOPROXY path, artifact actions for any other file, and artifactory.<verb> for the rest.
import { readProxyPath, type ProxyRequest } from '../goproxy-path/goproxy-path.js';

export interface AccessAction {
  action: string;
  /** The Go proxy reading of the repository path, when it is one (shared with the path cache: read it only). */
  go?: Readonly<Omit<ProxyRequest, 'repository'>>;
}

export function accessAction(verb: string, path: string | undefined): AccessAction {
  const go = path === undefined || path === '' ? undefined : goPath(path);
  switch (verb) {
    case 'DOWNLOAD':
      return go ? { action: go.action, go } : { action: 'artifact.download' };
    case 'DEPLOY':
      return go ? { action: 'module.deploy', go } : { action: 'artifact.deploy' };
    case 'DELETE':
      return go ? { action: 'module.delete', go } : { action: 'artifact.delete' };
    case 'LOGIN':
      return { action: 'user.login' };
    default: {
      const action = `artifactory.${verb.toLowerCase()}`;
      return go ? { action, go } : { action };
    }
  }
}

/** A repository-relative path read as the GOPROXY path it would be under the repository's Go API URL. */
function goPath(path: string): Readonly<Omit<ProxyRequest, 'repository'>> | undefined {
  // The cached reading itself, not a copy: one without a repository is already the answer.
  const request = readProxyPath(`/${path}`);
  // The path is already inside a repository: one that reads as another repository's URL is just a file.
  if (request.repository !== undefined) return undefined;
  return request.action.startsWith('module.') || request.action.startsWith('sumdb.') ? request : undefined;
}
