// Tool mode (Langflow's "Tool Mode" toggle): the component's outputs are replaced by one `Toolset`
// output of type Tool that an Agent's Tools input takes; its tool-mode fields become the tool's
// arguments. Switching back restores the outputs the catalog lists for the component.
import type { NodeBody, SavedOutput } from './flow-types';

/** Langflow's `component_as_tool` output, as its backend writes it. */
export const TOOLSET_OUTPUT: SavedOutput = {
  allows_loop: false,
  cache: true,
  display_name: 'Toolset',
  group_outputs: false,
  hidden: null,
  method: 'to_toolkit',
  name: 'component_as_tool',
  options: null,
  required_inputs: null,
  selected: 'Tool',
  tool_mode: true,
  types: ['Tool'],
  value: '__UNDEFINED__',
};

export function isToolMode(body: NodeBody | undefined): boolean {
  return body?.tool_mode === true || (body?.outputs ?? []).some((o) => o.name === TOOLSET_OUTPUT.name);
}

/** The body with tool mode on or off; off needs the catalog's outputs (undefined when it cannot switch back). */
export function withToolMode(body: NodeBody, on: boolean, catalogOutputs: SavedOutput[] | undefined): NodeBody | undefined {
  if (on) return { ...body, tool_mode: true, outputs: [structuredClone(TOOLSET_OUTPUT)] };
  if (!catalogOutputs || catalogOutputs.length === 0) return undefined;
  return { ...body, tool_mode: false, outputs: structuredClone(catalogOutputs) };
}
