/**
 * JavaScript evaluated inside every sandbox, around the user's compiled module (`__weftModule`, from
 * compile.ts). It runs in QuickJS, not in Node: nothing here can reach the host, and the host reads
 * only the JSON text these functions return.
 */

/** Before the user's module: `console` collects lines (bounded) that the host copies into the build's logs. */
export const BEFORE = `
globalThis.__weftLogs = [];
(function () {
  const logs = globalThis.__weftLogs;
  const show = (v) => { if (typeof v === 'string') return v; try { return JSON.stringify(v); } catch (e) { return String(v); } };
  const line = (...args) => { if (logs.length < 100) logs.push(args.map(show).join(' ').slice(0, 2000)); };
  globalThis.console = { log: line, info: line, warn: line, error: line, debug: line };
  const stringify = JSON.stringify;
  globalThis.__weftTakeLogs = () => (logs.length === 0 ? '' : stringify(logs.splice(0)));
})();
`;

/** After the user's module: the entry points the host calls. */
export const AFTER = `
(function () {
  const mod = typeof __weftModule === 'object' && __weftModule !== null ? __weftModule : {};
  const definition = mod.default;
  const stringify = JSON.stringify, parse = JSON.parse;
  function component() {
    if (!definition || typeof definition !== 'object' || !definition.compute || typeof definition.compute !== 'object') {
      throw new Error('The code must \`export default component({...})\` with a compute function per output');
    }
    return definition;
  }
  globalThis.__weftDeclare = function () {
    const c = component();
    const out = {};
    for (const key of Object.keys(c)) if (key !== 'compute') out[key] = c[key];
    out.computeNames = Object.keys(c.compute).filter((k) => typeof c.compute[k] === 'function');
    return Promise.resolve(stringify(out));
  };
  globalThis.__weftRun = function (output, paramsJson, infoJson) {
    const c = component();
    const fn = c.compute[output];
    if (typeof fn !== 'function') throw new Error('No compute function for output "' + output + '"');
    const params = parse(paramsJson), info = parse(infoJson);
    return Promise.resolve()
      .then(() => fn.call(undefined, params, info))
      .then((value) => {
        const text = stringify(value === undefined ? null : value);
        return text === undefined ? 'null' : text;
      });
  };
})();
`;

/** The module behind \`import ... from 'weft'\`: the component helper and value constructors (tagged plain objects). */
export const WEFT_MODULE = `
export function component(definition) { return definition; }
export function Message(value) {
  const init = typeof value === 'object' && value !== null ? value : { text: value };
  return { ...init, text: String(init.text ?? ''), __weft: 'Message' };
}
export function Data(data, textKey) { return { __weft: 'Data', data: data ?? {}, text_key: textKey ?? 'text' }; }
export function DataFrame(rows) { return { __weft: 'DataFrame', rows: Array.isArray(rows) ? rows : [] }; }
`;

/** Types of the 'weft' module, for /validate/code's type check (docs/custom-components.md describes them). */
export const WEFT_TYPES = `
declare module 'weft' {
  export type InputKind = 'text' | 'message' | 'data' | 'dataframe' | 'bool' | 'int' | 'float' | 'dict' | 'secret' | 'other';
  export interface MessageValue { __weft?: 'Message'; text: string; sender?: string | null; sender_name?: string | null; session_id?: string; files?: string[] }
  export interface DataValue { __weft?: 'Data'; data: Record<string, unknown>; text_key?: string; text?: string }
  export interface DataFrameValue { __weft?: 'DataFrame'; rows: Record<string, unknown>[] }
  export type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };
  export type OutputValue = string | MessageValue | DataValue | DataFrameValue | Json;
  export interface Input {
    name: string; kind: InputKind; displayName?: string; info?: string; default?: unknown; required?: boolean; advanced?: boolean;
    list?: boolean; multiline?: boolean; options?: string[]; toolMode?: boolean; inputTypes?: string[];
  }
  export interface Output { name: string; displayName?: string; types: ('Message' | 'Data' | 'DataFrame' | 'Text' | string)[] }
  export interface RunInfo { componentId: string; displayName: string; flowId: string; sessionId: string; userId: string | null }
  export interface Definition {
    type: string; displayName: string; description?: string; icon?: string; category?: string;
    inputs: Input[]; outputs: Output[];
    compute: Record<string, (params: any, info: RunInfo) => OutputValue | Promise<OutputValue>>;
  }
  export function component<T extends Definition>(definition: T): T;
  export function Message(value: string | { text: string; [key: string]: unknown }): MessageValue;
  export function Data(data: Record<string, unknown>, textKey?: string): DataValue;
  export function DataFrame(rows: Record<string, unknown>[]): DataFrameValue;
}
interface WeftFetchResponse { status: number; ok: boolean; headers: Record<string, string>; text(): Promise<string>; json(): Promise<any> }
declare function fetch(url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<WeftFetchResponse>;
declare const console: { log(...args: unknown[]): void; info(...args: unknown[]): void; warn(...args: unknown[]): void; error(...args: unknown[]): void; debug(...args: unknown[]): void };
`;

/** `fetch` inside the sandbox when the administrator grants it: every call goes out through the host's guarded client. */
export const FETCH = `
(function () {
  const call = globalThis.__weftHostFetch;
  delete globalThis.__weftHostFetch;
  globalThis.fetch = function (url, init) {
    return call(String(url), JSON.stringify(init ?? {})).then((text) => {
      const r = JSON.parse(text);
      return { status: r.status, ok: r.status >= 200 && r.status < 300, headers: r.headers, text: async () => r.body, json: async () => JSON.parse(r.body) };
    });
  };
})();
`;
