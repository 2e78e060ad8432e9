import type { Admin } from '@meterline/kafka';

/**
 * Removes what a run created: its topics, its consumer groups and its registry subjects. Each step is attempted even
 * when an earlier one failed, and problems are returned rather than thrown: a leftover must not hide the figures (or
 * the error) of the run itself.
 */
export async function removeRunArtifacts(
  admin: Admin,
  registryUrl: string,
  what: { topics: readonly string[]; groups: readonly string[]; subjects: readonly string[] },
): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (label: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      problems.push(`${label}: ${(err as Error).message}`);
    }
  };
  // Only an empty group can be deleted: callers run this after every consumer of the run has left.
  await attempt(`deleting groups ${what.groups.join(', ')}`, async () => {
    try {
      await admin.deleteGroups([...what.groups]);
    } catch (err) {
      // kafkajs throws for the whole call when one group fails, listing each group's error code; the others are gone.
      // A group that never formed (its phase did not run) is not a leftover.
      const groups = (err as { groups?: { groupId: string; errorCode: number }[] }).groups;
      if (!groups) throw err;
      const failed = groups.filter((g) => g.errorCode !== GROUP_ID_NOT_FOUND);
      if (failed.length > 0) throw new Error(failed.map((g) => `${g.groupId}: error ${g.errorCode}`).join('; '));
    }
  });
  await attempt(`deleting topics ${what.topics.join(', ')}`, () => admin.deleteTopics({ topics: [...what.topics] }));
  for (const subject of what.subjects) {
    await attempt(`deleting subject ${subject}`, () => deleteSubject(registryUrl, subject));
  }
  return problems;
}

/** Kafka's GROUP_ID_NOT_FOUND error code. */
const GROUP_ID_NOT_FOUND = 69;

/**
 * The Confluent API deletes in two steps: a soft delete, then `?permanent=true`, which only a soft-deleted subject
 * accepts. Only the subject goes; a schema id other subjects share (the plain `"string"` key schema) stays valid.
 */
async function deleteSubject(registryUrl: string, subject: string): Promise<void> {
  for (const query of ['', '?permanent=true']) {
    const response = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}${query}`, {
      method: 'DELETE',
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok && response.status !== 404) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  }
}
