import type { ComponentDefinition } from './component.js';

/** Looks up a component by the `data.type` a node was saved with. */
export interface ComponentRegistry {
  get(type: string, module?: string): ComponentDefinition | undefined;
  all(): ComponentDefinition[];
}

export class MapRegistry implements ComponentRegistry {
  private readonly byType = new Map<string, ComponentDefinition>();
  private readonly definitions: ComponentDefinition[] = [];

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
}
