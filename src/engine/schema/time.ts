/** Langflow's timestamp format: `YYYY-MM-DD HH:MM:SS UTC`. */
export function langflowTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}
