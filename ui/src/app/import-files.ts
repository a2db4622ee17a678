// Checks a dropped or picked file before anything is sent: a bad file gets one clear sentence and
// never reaches the server, so the user's other flows are untouched.

/** Flow JSON files above this are refused in the browser (Langflow's largest starter project is 0.34 MB). */
export const MAX_FLOW_JSON_BYTES = 10 * 1024 * 1024;
/** Zips go to the server, which unpacks them under its own limits; this only spares a pointless upload. */
export const MAX_ZIP_BYTES = 32 * 1024 * 1024;

/** A file fit to upload (`upload`: the file itself, or a copy whose nameless flows got the file's name). */
export type CheckedFile = { ok: true; kind: 'json' | 'zip'; flowNames: string[]; isProject: boolean; upload: File } | { ok: false; message: string };

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Why `value` is not a Langflow flow (null when it is one): a name and a `data` graph with node and edge lists. */
export function notAFlow(value: unknown): string | null {
  if (!isObject(value)) return 'it is not a JSON object';
  if (!isObject(value.data)) return 'it has no "data" with the flow\'s graph';
  if (!Array.isArray(value.data.nodes)) return 'its "data" has no "nodes" list';
  if (value.data.edges !== undefined && !Array.isArray(value.data.edges)) return 'its "data.edges" is not a list';
  return null;
}

/** The flows a parsed export holds: one flow, a list of flows, or a project export (`{flows: [...]}`). */
export function flowsIn(parsed: unknown): { flows: unknown[]; isProject: boolean } {
  if (Array.isArray(parsed)) return { flows: parsed, isProject: false };
  if (isObject(parsed) && Array.isArray(parsed.flows)) return { flows: parsed.flows, isProject: true };
  return { flows: [parsed], isProject: false };
}

/** Reads and checks one file the user chose to import. */
export async function checkImportFile(file: File): Promise<CheckedFile> {
  const name = file.name || 'The file';
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  const isZip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  if (isZip || name.toLowerCase().endsWith('.zip')) {
    if (!isZip) return { ok: false, message: `${name} is not a zip file` };
    if (file.size > MAX_ZIP_BYTES) return { ok: false, message: `${name} is ${megabytes(file.size)}: zips of flows up to ${megabytes(MAX_ZIP_BYTES)} can be imported` };
    return { ok: true, kind: 'zip', flowNames: [], isProject: true, upload: file };
  }
  if (file.size > MAX_FLOW_JSON_BYTES) {
    return { ok: false, message: `${name} is ${megabytes(file.size)}: flow files up to ${megabytes(MAX_FLOW_JSON_BYTES)} can be imported` };
  }
  if (file.size === 0) return { ok: false, message: `${name} is empty` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch (error) {
    return { ok: false, message: `${name} is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const { flows, isProject } = flowsIn(parsed);
  if (flows.length === 0) return { ok: false, message: `${name} holds no flows` };
  const names: string[] = [];
  let renamed = false;
  for (const [index, flow] of flows.entries()) {
    const why = notAFlow(flow);
    if (why) return { ok: false, message: `${name} is not a Langflow flow: ${flows.length > 1 ? `entry ${index + 1}: ` : ''}${why}` };
    const record = flow as Record<string, unknown>;
    if (typeof record.name !== 'string' || record.name.trim() === '') {
      // The server wants a name: as Langflow, a nameless flow is named after its file.
      record.name = name.replace(/\.json$/i, '') || 'Imported flow';
      renamed = true;
    }
    names.push(record.name as string);
  }
  const upload = renamed ? new File([JSON.stringify(parsed)], name, { type: 'application/json' }) : file;
  return { ok: true, kind: 'json', flowNames: names, isProject, upload };
}

/** Saves `content` as a file through the browser's download (a temporary object URL). */
export function downloadFile(fileName: string, content: Blob): void {
  const url = URL.createObjectURL(content);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name from a flow name (no path separators or characters file systems refuse). */
export function safeFileName(name: string, extension: string): string {
  const cleaned = [...name].map((char) => (char.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(char) ? '_' : char)).join('').trim() || 'flow';
  return `${cleaned}${extension}`;
}
