import type { Admin } from 'kafkajs';

/** Creates the topics modtrail reads and writes when they are missing (a cluster may also pre-create them). */
export async function ensureTopics(admin: Admin, topics: readonly string[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = [...new Set(topics)].filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
  }
  return missing;
}
