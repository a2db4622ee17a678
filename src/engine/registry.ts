import type { ComponentDefinition } from './component.js';
import type { NodeJson } from './flow-json.js';

/** Looks up a component by the `data.type` a node was saved with. */
export interface ComponentRegistry {
  get(type: string, module?: string): ComponentDefinition | undefined;
  all(): ComponentDefinition[];
  /** A component the node defines itself (a custom component's code), before `get` is asked. */
  forNode?(node: NodeJson): ComponentDefinition | undefined;
}

/** Builds the definition of a node that carries its own component (custom code), or undefined. */
export type NodeResolver = (node: NodeJson) => ComponentDefinition | undefined;

export class MapRegistry implements ComponentRegistry {
  private readonly byType = new Map<string, ComponentDefinition>();
  private readonly definitions: ComponentDefinition[] = [];
  private nodeResolver: NodeResolver | undefined;

  constructor(definitions: ComponentDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: ComponentDefinition): void {
    for (const name of [definition.type, ...(definition.aliases ?? [])]) {
      if (this.byType.has(name)) throw new Error(`Component type "${name}" is registered twice`);
      this.byType.set(name, definition);
    }
    this.definitions.push(definition);
  }

  get(type: string, module?: string): ComponentDefinition | undefined {
    const direct = this.byType.get(type);
    if (direct) return direct;
    // Saved nodes name their class in metadata.module, e.g. lfx.components.input_output.chat.ChatInput.
    const className = module?.split('.').pop();
    return className ? this.byType.get(className) : undefined;
  }

  all(): ComponentDefinition[] {
    return [...this.definitions];
  }

  /** Nodes that define their own component (custom code) are built by `resolver`. */
  setNodeResolver(resolver: NodeResolver): void {
    this.nodeResolver = resolver;
  }

  forNode(node: NodeJson): ComponentDefinition | undefined {
    return this.nodeResolver?.(node);
  }
}
