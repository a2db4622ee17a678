import { defineComponent, type ComponentContext, type ComponentDefinition } from '../src/engine/component.js';
import { Message } from '../src/engine/schema/message.js';
import { toText } from '../src/engine/schema/convert.js';
import { createRegistry } from '../src/components/registry.js';
import type { MapRegistry } from '../src/engine/registry.js';

/**
 * Test-only components. They reach the test through `ctx.services.probe`, so a test can see when a
 * component starts and decide when it finishes, without timers.
 */
export interface Probe {
  started: string[];
  finished: string[];
  /** Resolves when `vertexId` may finish; undefined lets it finish at once. */
  gate?: (vertexId: string, ctx: ComponentContext) => Promise<void> | undefined;
  onStart?: (vertexId: string) => void;
}

declare module '../src/engine/component.js' {
  interface EngineServices {
    probe?: Probe;
  }
}

function probeOf(ctx: ComponentContext): Probe {
  const probe = ctx.services.probe;
  if (!probe) throw new Error('test component needs services.probe');
  return probe;
}

/** Passes its input text through with a suffix, after the probe's gate opens. */
export const step = defineComponent({
  type: 'TestStep',
  displayName: 'Test Step',
  category: 'testing',
  inputs: [
    { name: 'input_value', kind: 'handle', inputTypes: ['Message'] },
    { name: 'suffix', kind: 'text', default: '' },
  ],
  outputs: [{ name: 'out', types: ['Message'] }],
  compute: {
    out: async (ctx) => {
      const probe = probeOf(ctx);
      probe.started.push(ctx.vertexId);
      probe.onStart?.(ctx.vertexId);
      await probe.gate?.(ctx.vertexId, ctx);
      probe.finished.push(ctx.vertexId);
      return new Message({ text: toText(ctx.params.input_value) + String(ctx.params.suffix ?? '') });
    },
  },
});

/** Fails with the saved message. */
export const failing = defineComponent({
  type: 'TestFail',
  displayName: 'Test Fail',
  category: 'testing',
  inputs: [
    { name: 'input_value', kind: 'handle', inputTypes: ['Message'] },
    { name: 'reason', kind: 'text', default: 'boom' },
  ],
  outputs: [{ name: 'out', types: ['Message'] }],
  compute: {
    out: (ctx) => {
      throw new Error(String(ctx.params.reason));
    },
  },
});

/** Waits for the run's abort signal (a long-running component that honours cancellation). */
export const waitForAbort = defineComponent({
  type: 'TestWaitForAbort',
  displayName: 'Test Wait',
  category: 'testing',
  inputs: [{ name: 'input_value', kind: 'handle', inputTypes: ['Message'] }],
  outputs: [{ name: 'out', types: ['Message'] }],
  compute: {
    out: (ctx) => {
      const probe = probeOf(ctx);
      probe.started.push(ctx.vertexId);
      probe.onStart?.(ctx.vertexId);
      return new Promise((_, reject) => {
        ctx.signal.addEventListener(
          'abort',
          () => {
            probe.finished.push(`${ctx.vertexId}:aborted`);
            reject(new Error('aborted'));
          },
          { once: true },
        );
      });
    },
  },
});

export const testComponents: ComponentDefinition[] = [step, failing, waitForAbort];

/** The real registry plus the test components. */
export function testRegistry(): MapRegistry {
  const registry = createRegistry();
  for (const definition of testComponents) registry.register(definition);
  return registry;
}

export function newProbe(init: Partial<Probe> = {}): Probe {
  return { started: [], finished: [], ...init };
}

/** A promise with its resolve function, for gates. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
