import express, { Router } from 'express';
import { z } from 'zod';
import type { Normalize } from '../../normalize/normalizer.js';
import { requireRole } from '../auth/principal.js';
import type { ApiConfig } from '../config.js';
import { ingestFormats, ingestLines, splitLines, type IngestTopics } from '../ingest/ingest-lines.js';
import type { IngestProducer } from '../ingest/ingest-producer.js';
import { ApiProblem } from '../problem.js';
import { parsed } from '../validate.js';

export interface IngestDeps {
  producer: IngestProducer;
  topics: IngestTopics;
  normalize: Normalize;
}

const acceptedTypes = ['application/x-ndjson', 'application/jsonl', 'application/json', 'text/plain'];
const headersSchema = z.object({
  'modtrail-format': z.enum(ingestFormats).default('agent'),
  'modtrail-observer': z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits, . _ : -').optional(),
});

/**
 * HTTP ingest for agents that cannot reach Kafka: JSON lines (agent events, or proxy lines with a
 * Modtrail-Format header), written to the same topic the pipeline reads, answered 202 line by line.
 */
export function eventRoutes(deps: IngestDeps & { limits: ApiConfig['limits'] }): Router {
  const router = Router();
  const body = express.raw({ type: () => true, limit: deps.limits.maxIngestBytes });

  router.post('/v1/events', requireRole('ingest'), body, async (req, res) => {
    const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (!acceptedTypes.includes(type)) {
      throw new ApiProblem('api.unsupported_media_type', `Send JSON lines as one of: ${acceptedTypes.join(', ')}.`);
    }
    const headers = parsed(headersSchema, req.headers, 'header');
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const lines = splitLines(raw);
    if (lines.length === 0) throw new ApiProblem('api.bad_request', 'The body holds no lines.');
    if (lines.length > deps.limits.maxIngestLines) {
      throw new ApiProblem('api.payload_too_large', `At most ${deps.limits.maxIngestLines} lines per request; this one has ${lines.length}.`);
    }
    const outcome = await ingestLines(lines, {
      format: headers['modtrail-format'],
      ...(headers['modtrail-observer'] === undefined ? {} : { observer: headers['modtrail-observer'] }),
      topics: deps.topics,
      producer: deps.producer,
      normalize: deps.normalize,
    });
    res.status(202).json(outcome);
  });

  return router;
}
