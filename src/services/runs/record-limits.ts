/** The limits of Langflow's `serialize(value, max_length, max_items)`, which every recorded build and transaction goes through. */
export interface RecordLimits {
  maxTextLength: number;
  maxItemsLength: number;
}

/**
 * A value as Langflow records it: strings longer than `maxTextLength` keep that many characters and "...", lists longer
 * than `maxItemsLength` keep that many items and one "... [truncated N items]" string, recursively. Without it a run with
 * a 5 MB input wrote that text into every build and transaction of the run (and held each copy until written).
 * Returns the value itself when nothing needs cutting, so the common case allocates nothing.
 */
export function limitForRecord(value: unknown, limits: RecordLimits): unknown {
  if (typeof value === 'string') return value.length > limits.maxTextLength ? `${value.slice(0, limits.maxTextLength)}...` : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const kept = value.length > limits.maxItemsLength ? value.slice(0, limits.maxItemsLength) : value;
    let changed = kept !== value;
    const items = kept.map((item) => {
      const limited = limitForRecord(item, limits);
      if (limited !== item) changed = true;
      return limited;
    });
    if (kept !== value) items.push(`... [truncated ${value.length - limits.maxItemsLength} items]`);
    return changed ? items : value;
  }
  // Class instances (Message, Data) serialise through toJSON: limit what they serialise to.
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const plain = toJSON.call(value);
    if (plain !== value) return limitForRecord(plain, limits);
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const limited = limitForRecord(item, limits);
    if (limited === item) continue;
    copy ??= { ...(value as Record<string, unknown>) };
    // A defined property, not an assignment: a key named `__proto__` (user data) stays a key.
    Object.defineProperty(copy, key, { value: limited, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? value;
}
