import type { ComponentDefinition, ComponentRegistry, NodeJson } from '../engine/index.js';

/**
 * The component registry, loaded after the server starts listening: the components pull in the
 * model SDKs (~0.5 s), which must not delay start-up. `createApp` holds every request but the
 * health probes until `ready` settles, so handlers can use it synchronously.
 */
export class DeferredRegistry implements ComponentRegistry {
  private loaded: ComponentRegistry | null = null;
  readonly ready: Promise<void>;

  constructor(load: () => Promise<ComponentRegistry>) {
    this.ready = load().then((registry) => {
      this.loaded = registry;
    });
    // A failed load surfaces on each request that awaits `ready`, not as an unhandled rejection.
    this.ready.catch(() => {});
  }

  private current(): ComponentRegistry {
    if (!this.loaded) throw new Error('The component registry is still loading');
    return this.loaded;
  }

  get(type: string, module?: string): ComponentDefinition | undefined {
    return this.current().get(type, module);
  }

  all(): ComponentDefinition[] {
    return this.current().all();
  }

  forNode(node: NodeJson): ComponentDefinition | undefined {
    return this.current().forNode?.(node);
  }
}
