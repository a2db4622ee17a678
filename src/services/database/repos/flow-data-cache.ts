/**
 * Parsed flow `data` for the run path, kept per flow id while the stored text is unchanged. A flow as Langflow
 * exports it is ~10 KB a node; parsing it again for every `/run` was a tenth of a request's CPU. The cache is
 * checked against the text just read from the database (a string comparison, far cheaper than the parse), so
 * any writer — another worker, another process, a PATCH — is seen at once and nothing needs invalidating.
 *
 * The parsed object is shared by every run of that version: readers must not change it. Runs never change the
 * flow they are given (`runs never change the flow they were given` in src/engine/run.test.ts), so only the run
 * path reads through here; every other caller gets its own parse.
 */
export class FlowDataCache {
  private readonly entries = new Map<string, { text: string; data: Record<string, unknown> | null }>();

  constructor(private readonly capacity = 256) {}

  parse(id: string, text: string | null): Record<string, unknown> | null {
    if (text === null || text === '') return null;
    const hit = this.entries.get(id);
    if (hit && hit.text === text) {
      // Least recently used first: a hit moves to the end of the map's insertion order.
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit.data;
    }
    const data = JSON.parse(text) as Record<string, unknown> | null;
    this.entries.delete(id);
    this.entries.set(id, { text, data });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return data;
  }
}
