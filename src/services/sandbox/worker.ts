import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { newQuickJSWASMModule, newVariant, RELEASE_SYNC, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime } from 'quickjs-emscripten';
import { AFTER, BEFORE, FETCH } from './prelude.js';
import type { FailureKind, FetchAnswer, FromWorker, RunAnswer, RunRequest, SandboxLimits, ToWorker } from './protocol.js';

/**
 * A sandbox thread (started by sandbox.ts). Every call gets a WebAssembly instance of QuickJS of its
 * own: its own linear memory, capped at the memory limit (QuickJS's own malloc limit counts blocks, not
 * bytes, in this build, so the cap is the memory's `maximum`), its own runtime and context, with the
 * component evaluated in it; the instance is discarded after the call. Pre-warmed instances are made
 * ahead of time for one owner's one component (`key`) and used once. Runs here, off the event loop:
 * a component that spins until its deadline holds this thread, never the server.
 */

const port = parentPort;
if (!port) throw new Error('sandbox worker: no parent port');

const WASM_PAGE = 64 * 1024;
/** The WebAssembly module declares 256 pages (16 MiB: its static data, stack and first heap) as its minimum. */
const BASE_PAGES = 256;
/** QuickJS's own stack limit, well inside the thread's native stack (sandbox.ts gives the thread 8 MiB). */
const MAX_STACK_BYTES = 1024 * 1024;

const wasmModule = new WebAssembly.Module(readFileSync(createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm')));

interface Instance {
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  /** Set by the interrupt handler's caller: when the current call must stop. */
  deadline: { at: number };
  /** The script failed to evaluate: why (a call then fails with it). */
  failure: { kind: FailureKind; message: string } | null;
  hostCalls: Map<number, (ok: boolean, value: string) => void>;
  pending: Set<Promise<void>>;
}

let requestInFlight: RunRequest | null = null;
let nextFetchId = 1;
const fetchWaiters = new Map<number, (answer: FetchAnswer) => void>();
/** Pre-warmed instances by key; each is used once. */
const warm = new Map<string, Instance[]>();
let warmCount = 0;

async function createInstance(script: string, limits: SandboxLimits): Promise<Instance> {
  const memory = new WebAssembly.Memory({ initial: BASE_PAGES, maximum: BASE_PAGES + Math.ceil(limits.memoryBytes / WASM_PAGE) });
  const quickjs = await newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmModule, wasmMemory: memory, log: () => {}, emscriptenModule: { print: () => {}, printErr: () => {} } as never }));
  const runtime = quickjs.newRuntime();
  runtime.setMemoryLimit(limits.memoryBytes);
  runtime.setMaxStackSize(MAX_STACK_BYTES);
  const deadline = { at: Date.now() + limits.timeoutMs };
  runtime.setInterruptHandler(() => Date.now() > deadline.at);
  const context = runtime.newContext();
  const instance: Instance = { runtime, context, deadline, failure: null, hostCalls: new Map(), pending: new Set() };
  if (limits.fetch) installFetch(instance);
  for (const [source, name] of [[BEFORE, 'weft-before.js'], [script, 'component.js'], [AFTER, 'weft-after.js']] as const) {
    const failure = evaluate(instance, source, name);
    if (failure) {
      instance.failure = failure;
      break;
    }
  }
  return instance;
}

function evaluate(instance: Instance, source: string, filename: string): { kind: FailureKind; message: string } | null {
  try {
    const result = instance.context.evalCode(source, filename);
    if (result.error) {
      const failure = describeError(instance, result.error);
      result.error.dispose();
      return failure;
    }
    result.value.dispose();
    instance.runtime.executePendingJobs();
    return null;
  } catch (error) {
    return hostFailure(error);
  }
}

/** A host-side exception while QuickJS ran: the native stack or the WebAssembly memory ran out. */
function hostFailure(error: unknown): { kind: FailureKind; message: string } {
  if (error instanceof RangeError) return { kind: 'stack', message: 'stack overflow' };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: /memory|out of bounds/i.test(message) ? 'memory' : 'error', message };
}

function describeError(instance: Instance, handle: QuickJSHandle): { kind: FailureKind; message: string } {
  let dumped: unknown;
  try {
    dumped = instance.context.dump(handle);
  } catch {
    dumped = 'an unreadable value';
  }
  const isObject = typeof dumped === 'object' && dumped !== null;
  const name = isObject && typeof (dumped as { name?: unknown }).name === 'string' ? (dumped as { name: string }).name : '';
  const message = isObject && typeof (dumped as { message?: unknown }).message === 'string' ? (dumped as { message: string }).message : describeThrown(dumped);
  if (name === 'InternalError' && message === 'interrupted') return { kind: 'time', message };
  if (name === 'InternalError' && /out of memory/.test(message)) return { kind: 'memory', message };
  if (name === 'InternalError' && /stack overflow/.test(message)) return { kind: 'stack', message };
  if (/string too long|invalid array length|out of memory|array buffer allocation failed/i.test(message)) return { kind: 'memory', message };
  return { kind: 'error', message: name && name !== 'Error' ? `${name}: ${message}` : message };
}

function describeThrown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return `a non-Error value was thrown: ${text.slice(0, 500)}`;
}

function installFetch(instance: Instance): void {
  const { context } = instance;
  const hostFetch = context.newFunction('__weftHostFetch', (urlHandle, initHandle) => {
    const url = context.getString(urlHandle);
    const init = context.getString(initHandle);
    const deferred = context.newPromise();
    const fetchId = nextFetchId++;
    const request = requestInFlight;
    if (!request) {
      deferred.reject(context.newString('fetch is not available here'));
      return deferred.handle;
    }
    const settled = new Promise<void>((resolve) => {
      fetchWaiters.set(fetchId, (answer) => {
        fetchWaiters.delete(fetchId);
        if (!context.alive) return resolve();
        const value = context.newString(answer.value);
        if (answer.ok) deferred.resolve(value);
        else {
          const error = context.newError(answer.value);
          deferred.reject(error);
          error.dispose();
        }
        value.dispose();
        resolve();
      });
    });
    instance.pending.add(settled);
    void settled.then(() => instance.pending.delete(settled));
    send({ type: 'fetch', id: request.id, fetchId, url, init });
    return deferred.handle;
  });
  context.setProp(context.global, '__weftHostFetch', hostFetch);
  hostFetch.dispose();
  const result = context.evalCode(FETCH, 'weft-fetch.js');
  if (result.error) result.error.dispose();
  else result.value.dispose();
}

/**
 * An instance is never reused: dropping it drops its WebAssembly memory with everything in it. (Disposing
 * the runtime first would only walk a heap that is thrown away, and asserts when a call was interrupted.)
 */
function disposeInstance(instance: Instance): void {
  instance.hostCalls.clear();
  instance.pending.clear();
}

async function acquire(request: RunRequest): Promise<{ instance: Instance; warm: boolean }> {
  const ready = warm.get(request.key);
  const found = ready?.shift();
  if (found) {
    warmCount--;
    if (ready!.length === 0) warm.delete(request.key);
    return { instance: found, warm: true };
  }
  return { instance: await createInstance(request.script, request.limits), warm: false };
}

async function call(instance: Instance, request: RunRequest): Promise<{ ok: true; value: string } | { ok: false; kind: FailureKind; message: string }> {
  if (instance.failure) return { ok: false, ...instance.failure };
  const { context, runtime } = instance;
  instance.deadline.at = Date.now() + request.limits.timeoutMs;
  const entry = request.output === null ? '__weftDeclare' : '__weftRun';
  const fn = context.getProp(context.global, entry);
  const args = request.output === null ? [] : [context.newString(request.output), context.newString(request.params), context.newString(request.info)];
  let result: QuickJSHandle | undefined;
  try {
    const called = context.callFunction(fn, context.undefined, ...args);
    if (called.error) {
      const failure = describeError(instance, called.error);
      called.error.dispose();
      return { ok: false, ...failure };
    }
    result = called.value;
    for (;;) {
      const jobs = runtime.executePendingJobs();
      if (jobs.error) {
        const failure = describeError(instance, jobs.error);
        jobs.error.dispose();
        return { ok: false, ...failure };
      }
      const state = context.getPromiseState(result);
      if (state.type === 'fulfilled') {
        const value = state.value;
        const text = context.typeof(value) === 'string' ? context.getString(value) : null;
        // Not a promise (the entry point was replaced by the component): `value` is `result` itself.
        if (!state.notAPromise) value.dispose();
        if (text === null) return { ok: false, kind: 'error', message: 'the component returned no JSON value' };
        if (Buffer.byteLength(text) > request.limits.maxOutputBytes) return { ok: false, kind: 'output', message: `${Buffer.byteLength(text)} bytes` };
        return { ok: true, value: text };
      }
      if (state.type === 'rejected') {
        const failure = describeError(instance, state.error);
        state.error.dispose();
        return { ok: false, ...failure };
      }
      if (instance.pending.size === 0) return { ok: false, kind: 'never_settles', message: 'the promise never settles' };
      const left = instance.deadline.at - Date.now();
      if (left <= 0) return { ok: false, kind: 'time', message: 'interrupted' };
      let timer: NodeJS.Timeout | undefined;
      const expired = await Promise.race([
        Promise.race(instance.pending).then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), left))),
      ]);
      clearTimeout(timer);
      if (expired) return { ok: false, kind: 'time', message: 'interrupted' };
    }
  } catch (error) {
    return { ok: false, ...hostFailure(error) };
  } finally {
    for (const arg of args) arg.dispose();
    fn.dispose();
    result?.dispose();
  }
}

function logsOf(instance: Instance): string[] {
  try {
    if (instance.failure?.kind === 'stack' || !instance.context.alive) return [];
    instance.deadline.at = Date.now() + 100;
    const { context } = instance;
    const take = context.getProp(context.global, '__weftTakeLogs');
    const result = context.typeof(take) === 'function' ? context.callFunction(take, context.undefined) : null;
    take.dispose();
    if (!result) return [];
    if (result.error) {
      result.error.dispose();
      return [];
    }
    const text = context.typeof(result.value) === 'string' ? context.getString(result.value) : '';
    result.value.dispose();
    if (text === '') return [];
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((l): l is string => typeof l === 'string').slice(0, 100) : [];
  } catch {
    return [];
  }
}

async function handle(request: RunRequest, warmLimit: number): Promise<void> {
  const started = process.hrtime.bigint();
  requestInFlight = request;
  let acquired: { instance: Instance; warm: boolean };
  let outcome: Awaited<ReturnType<typeof call>>;
  try {
    acquired = await acquire(request);
    outcome = await call(acquired.instance, request);
  } catch (error) {
    // Never lose the thread to a call: whatever went wrong fails this call only.
    requestInFlight = null;
    const failure = hostFailure(error);
    send({ type: 'answer', id: request.id, ok: false, value: failure.message, failure: failure.kind, logs: [], micros: 0, warm: false });
    return;
  }
  const { instance, warm: wasWarm } = acquired;
  const logs = logsOf(instance);
  requestInFlight = null;
  const micros = Number(process.hrtime.bigint() - started) / 1000;
  const answer: RunAnswer = outcome.ok
    ? { type: 'answer', id: request.id, ok: true, value: outcome.value, logs, micros, warm: wasWarm }
    : { type: 'answer', id: request.id, ok: false, value: outcome.message, failure: outcome.kind, logs, micros, warm: wasWarm };
  send(answer);
  disposeInstance(instance);
  // Refilled when the thread is idle: a queued call never waits for a sandbox made for a later one.
  if (request.prewarm && warmLimit > 0) refills.set(request.key, request);
}

/** Ready instances kept per key (at most the thread's limit). */
const PER_KEY = 2;
/** Keys whose pool needs a fresh instance, with the call that used the last one (its script and limits). */
const refills = new Map<string, RunRequest>();

/** One fresh instance for the next call of this key, evicting the oldest other key's when the thread holds `limit`. */
async function prewarm(request: RunRequest, limit: number): Promise<void> {
  const have = warm.get(request.key)?.length ?? 0;
  if (have >= Math.min(PER_KEY, limit)) return;
  if (have + 1 < Math.min(PER_KEY, limit)) refills.set(request.key, request);
  while (warmCount >= limit) {
    const oldest = warm.keys().next();
    if (oldest.done) break;
    const list = warm.get(oldest.value)!;
    const evicted = list.shift();
    if (list.length === 0) warm.delete(oldest.value);
    if (evicted) {
      disposeInstance(evicted);
      warmCount--;
    }
  }
  const instance = await createInstance(request.script, request.limits);
  if (instance.failure) return disposeInstance(instance);
  warm.set(request.key, [...(warm.get(request.key) ?? []), instance]);
  warmCount++;
}

function send(message: FromWorker): void {
  port!.postMessage(message);
}

const queue: RunRequest[] = [];
let busy = false;
const warmLimit = Number((workerData as { warm?: number } | null)?.warm ?? 0);

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    for (;;) {
      const next = queue.shift();
      if (next) {
        await handle(next, warmLimit);
        continue;
      }
      const refill = refills.entries().next();
      if (refill.done) break;
      refills.delete(refill.value[0]);
      await prewarm(refill.value[1], warmLimit).catch(() => undefined);
    }
  } finally {
    busy = false;
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'run') {
    queue.push(message);
    void drain();
  } else if (message.type === 'fetch-answer') {
    fetchWaiters.get(message.fetchId)?.(message);
  } else if (message.type === 'stop') {
    for (const list of warm.values()) list.forEach(disposeInstance);
    warm.clear();
    port.close();
  }
});
send({ type: 'ready' });
