import { Router } from 'express';

/** Liveness: answers while the process serves HTTP; unauthenticated and not audited (probes would flood the trail). */
export function healthRoutes(): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return router;
}
