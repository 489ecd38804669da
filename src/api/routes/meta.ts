import { Router } from 'express';

/** Unauthenticated routes: the OpenAPI document and the public keys that verify seals and manifests. */
export function metaRoutes(deps: { openapi: () => object; sealJwks?: () => Promise<object> | object }): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(deps.openapi());
  });
  router.get('/.well-known/jwks.json', async (_req, res) => {
    // An empty set (not a 404) when sealing is off: verifiers then fail on the missing key, with a clear reason.
    const jwks = deps.sealJwks ? await deps.sealJwks() : { keys: [] };
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(jwks);
  });
  return router;
}
