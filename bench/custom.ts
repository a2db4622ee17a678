import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { customDefinitionFromNode } from '../src/components/custom/custom-component.js';
import { defineComponent } from '../src/engine/component.js';
import { MapRegistry } from '../src/engine/registry.js';
import { runFlow } from '../src/engine/run.js';
import { Message } from '../src/engine/schema/message.js';
import { Sandbox } from '../src/services/sandbox/sandbox.js';
import { readSettings } from '../src/services/settings.js';
import { FlowBuilder } from '../test-utils/flow-builder.js';
import type { BenchRow } from './table.js';

/**
 * Custom components (src/services/sandbox): what a call costs over the same component built in, how
 * long a fresh sandbox takes, and how much slower CPU-bound code runs in QuickJS than in V8.
 */

const SHOUT = `import { component, Message } from 'weft';
export default component({
  type: 'BenchShout', displayName: 'Shout', inputs: [{ name: 'text', kind: 'text' }], outputs: [{ name: 'out', types: ['Message'] }],
  compute: { async out({ text }) { return Message(text.toUpperCase()); } },
});
`;

const builtin = defineComponent({
  type: 'BuiltinShout', displayName: 'Shout', category: 'bench', inputs: [{ name: 'text', kind: 'text' }], outputs: [{ name: 'out', types: ['Message'] }],
  compute: { out: async (ctx) => new Message({ text: String(ctx.params.text).toUpperCase() }) },
});

function primesBelow(n: number): number {
  let count = 0;
  for (let i = 2; i < n; i++) {
    let prime = true;
    for (let d = 2; d * d <= i; d++) if (i % d === 0) { prime = false; break; }
    if (prime) count++;
  }
  return count;
}

const PRIMES = `import { component } from 'weft';
${primesBelow.toString()}
export default component({
  type: 'BenchPrimes', displayName: 'Primes', inputs: [{ name: 'n', kind: 'int' }], outputs: [{ name: 'out', types: ['JSON'] }],
  compute: { async out({ n }) { return primesBelow(n); } },
});
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function oneNodeFlow(type: string, code?: string) {
  const flow = new FlowBuilder(type);
  const fields: Record<string, unknown> = { text: 'hello bench' };
  if (code) fields.code = code;
  flow.node(type, fields, { outputs: ['out'], fieldMeta: { text: { _input_type: 'MessageTextInput' } } });
  return flow.build();
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1000;
}

export async function customBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const registry = new MapRegistry([builtin]);
  registry.setNodeResolver(customDefinitionFromNode);
  const sandbox = new Sandbox(readSettings({ WEFT_CUSTOM_COMPONENTS_THREADS: '1' }).customComponents);
  const cold = new Sandbox(readSettings({ WEFT_CUSTOM_COMPONENTS_THREADS: '1', WEFT_CUSTOM_COMPONENTS_WARM: '0' }).customComponents);
  const services = { customComponents: sandbox };
  const builtinFlow = oneNodeFlow('BuiltinShout');
  const customFlow = oneNodeFlow('BenchShout', SHOUT);
  const call = { code: SHOUT, owner: 'bench', component: 'Shout', output: 'out', params: { text: 'hello bench' }, info: {} };
  try {
    for (let i = 0; i < 50; i++) {
      await runFlow({ flow: builtinFlow, registry, userId: 'bench' });
      await runFlow({ flow: customFlow, registry, userId: 'bench', services });
      await cold.run(call);
    }
    const runs = 200;
    const builtinUs: number[] = [];
    const warmUs: number[] = [];
    const warmInside: number[] = [];
    const directWarm: number[] = [];
    let warmHits = 0;
    for (let i = 0; i < runs; i++) {
      builtinUs.push(await timed(() => runFlow({ flow: builtinFlow, registry, userId: 'bench' })));
      await sleep(15); // the thread refills its warm pool while idle
      warmUs.push(await timed(() => runFlow({ flow: customFlow, registry, userId: 'bench', services })));
      await sleep(15);
      let warm = false;
      directWarm.push(await timed(async () => {
        const result = await sandbox.run(call);
        warm = result.warm;
        warmInside.push(result.micros);
      }));
      if (warm) warmHits++;
    }
    const overhead = median(warmUs) - median(builtinUs);
    rows.push({ bench: 'custom', case: 'one-node flow, built-in component', value: median(builtinUs), unit: 'µs', note: 'median of 200 runFlow calls' });
    rows.push({
      bench: 'custom', case: 'one-node flow, same component custom (warm pool)', value: median(warmUs), unit: 'µs',
      note: `overhead ${overhead.toFixed(0)} µs per call over the built-in (goal ≤ 50); load average ${loadavg()[0].toFixed(1)}`,
    });
    rows.push({
      bench: 'custom', case: 'sandbox.run, warm sandbox', value: median(directWarm), unit: 'µs',
      note: `${median(warmInside).toFixed(0)} µs inside the thread; ${warmHits}/${runs} calls found a warm sandbox`,
    });

    const sustained: number[] = [];
    const started = performance.now();
    for (let i = 0; i < runs; i++) sustained.push(await timed(() => sandbox.run(call)));
    rows.push({ bench: 'custom', case: 'sandbox.run back to back (pool drained)', value: median(sustained), unit: 'µs', note: `${Math.round(runs / ((performance.now() - started) / 1000))} calls/s on one thread` });

    const coldUs: number[] = [];
    const coldInside: number[] = [];
    for (let i = 0; i < 100; i++) coldUs.push(await timed(async () => coldInside.push((await cold.run(call)).micros)));
    rows.push({
      bench: 'custom', case: 'fresh sandbox per call (no warm pool)', value: median(coldInside), unit: 'µs',
      note: `context creation: a WebAssembly instance, runtime, context and the component evaluated; ${median(coldUs).toFixed(0)} µs round trip`,
    });

    const n = 200_000;
    const nativeMs = median(await Promise.all([0, 1, 2].map(async () => (await timed(async () => primesBelow(n))) / 1000)));
    const primes = PRIMES;
    const sandboxMs: number[] = [];
    for (let i = 0; i < 3; i++) sandboxMs.push((await timed(() => sandbox.run({ ...call, code: primes, params: { n } }))) / 1000);
    rows.push({
      bench: 'custom', case: `CPU-bound: primes below ${n}, sandbox`, value: median(sandboxMs), unit: 'ms',
      note: `native V8 ${nativeMs.toFixed(1)} ms: ×${(median(sandboxMs) / nativeMs).toFixed(1)} slower (QuickJS interprets, V8 compiles)`,
    });
  } finally {
    await sandbox.close();
    await cold.close();
  }
  return rows;
}
