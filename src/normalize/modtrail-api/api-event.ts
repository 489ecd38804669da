// One use of modtrail's HTTP API, as the API writes it to Kafka (modtrail.api/v1), so the auditors are audited.
import { z } from 'zod';

export const apiEventSchemaName = 'modtrail.api/v1';

const text = z.string().min(1).max(8192);

export const apiEventSchema = z.strictObject({
  schema: z.literal(apiEventSchemaName),
  time: z.string().min(1).max(64),
  request_id: text,
  method: z.string().regex(/^[A-Z]{1,16}$/),
  /** The route template that answered (e.g. `/v1/modules/*module/downloads`), or the path when none matched. */
  route: text,
  /** Path and query string as received: the parameters of the request. */
  url: text,
  status: z.int().min(100).max(599),
  /** Who asked, when a token verified; never the token itself. */
  principal: z.strictObject({ subject: text, issuer: text, roles: z.array(z.string().max(64)).max(32) }).optional(),
  /** Why authentication or authorization refused the request. */
  refusal: z.string().max(512).optional(),
  client_ip: z.string().max(64).optional(),
  user_agent: z.string().max(1024).optional(),
  duration_ms: z.number().nonnegative().max(86_400_000),
});

export type ApiEventV1 = z.infer<typeof apiEventSchema>;
