import { existsSync } from 'node:fs';
import { defineComponent, type ComponentDefinition } from '../src/engine/component.js';
import { createRegistry } from '../src/components/registry.js';
import { Message } from '../src/engine/schema/message.js';
import { toText } from '../src/engine/schema/convert.js';
import type { MapRegistry } from '../src/engine/registry.js';

/**
 * Components for job tests that run in child processes (no probe object crosses a process):
 * TestHold emits a token, then waits until the run is cancelled, or until `release_file` exists.
 */
export const hold = defineComponent({
  type: 'TestHold',
  displayName: 'Test Hold',
  category: 'testing',
  inputs: [
    { name: 'input_value', kind: 'handle', inputTypes: ['Message'] },
    { name: 'release_file', kind: 'text', default: '' },
  ],
  outputs: [{ name: 'out', types: ['Message'] }],
  compute: {
    out: (ctx) => {
      const text = toText(ctx.params.input_value);
      ctx.emit({ event: 'token', data: { chunk: `holding ${text}`, id: ctx.vertexId } });
      const releaseFile = String(ctx.params.release_file ?? '');
      return new Promise<Message>((resolve, reject) => {
        const timer = releaseFile
          ? setInterval(() => {
              if (!existsSync(releaseFile)) return;
              clearInterval(timer);
              resolve(new Message({ text: `released ${text}` }));
            }, 20)
          : undefined;
        ctx.signal.addEventListener('abort', () => {
          clearInterval(timer);
          reject(new Error('aborted'));
        }, { once: true });
      });
    },
  },
});

export const jobTestComponents: ComponentDefinition[] = [hold];

export function jobTestRegistry(): MapRegistry {
  const registry = createRegistry();
  for (const definition of jobTestComponents) registry.register(definition);
  return registry;
}
