import { z } from 'zod';
import { sourceFormats } from '../../core/component.js';

export const kafkaConfigSchema = z
  .strictObject({
    brokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port')).min(1).default(['127.0.0.1:19092']),
    clientId: z.string().min(1).default('modtrail'),
    groupId: z.string().min(1).default('modtrail'),
    topics: z
      .strictObject({
        proxy: z.string().min(1).default('modtrail.proxy'),
        agent: z.string().min(1).default('modtrail.agent'),
        deadLetter: z.string().min(1).default('modtrail.deadletter'),
        /** The HTTP API writes one event per request here, so API use is audited like everything else. */
        api: z.string().min(1).default('modtrail.api'),
      })
      .prefault({}),
    /** The format of a topic's messages when the producer sets no `modtrail-format` header. */
    topicFormats: z.record(z.string(), z.enum(sourceFormats)).default({ 'modtrail.proxy': 'athens', 'modtrail.agent': 'agent' }),
    fromBeginning: z.boolean().default(true),
    sessionTimeoutMs: z.number().int().min(6000).default(30_000),
    /**
     * Batches per partition between fetch and settlement when commits follow seals: the next batch is computed while
     * the previous ones are written, each fetched this much smaller. 1 handles one batch at a time (as without seal
     * keys, where this does not apply).
     */
    inFlightBatches: z.number().int().min(1).max(8).default(2),
  })
  .prefault({});

export type KafkaConfig = z.infer<typeof kafkaConfigSchema>;
