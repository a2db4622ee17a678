/** The second last formatted: messages and events of the same second share the text. */
let cachedSecond = Number.NaN;
let cachedText = '';

/** Langflow's timestamp format: `YYYY-MM-DD HH:MM:SS UTC`. */
export function langflowTimestamp(date: Date = new Date()): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== cachedSecond) {
    cachedText = date.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
    cachedSecond = second;
  }
  return cachedText;
}
