import type { ComponentDefinition, InputDecl, InputKind } from '../engine/index.js';

/** Langflow's template field `type` for each input kind. */
const FIELD_TYPES: Record<InputKind, string> = {
  text: 'str', message: 'str', data: 'other', dataframe: 'other', handle: 'other', bool: 'bool', int: 'int', float: 'float',
  dict: 'dict', table: 'table', model: 'model', file: 'file', tools: 'other', secret: 'str', other: 'other',
};

/** Langflow's input class names, which the frontend uses to pick a widget. */
const INPUT_CLASSES: Partial<Record<InputKind, string>> = {
  text: 'MessageTextInput', message: 'MessageInput', data: 'DataInput', dataframe: 'DataFrameInput', handle: 'HandleInput',
  bool: 'BoolInput', int: 'IntInput', float: 'FloatInput', dict: 'DictInput', table: 'TableInput', file: 'FileInput', secret: 'SecretStrInput',
};

function templateField(input: InputDecl): Record<string, unknown> {
  const secret = input.kind === 'secret' || input.password === true;
  return {
    name: input.name,
    display_name: input.displayName ?? input.name,
    type: input.prompt ? 'prompt' : FIELD_TYPES[input.kind],
    _input_type: input.prompt ? 'PromptInput' : input.options ? 'DropdownInput' : input.multiline ? 'MultilineInput' : (INPUT_CLASSES[input.kind] ?? 'StrInput'),
    value: input.default ?? (input.kind === 'bool' ? false : ''),
    required: input.required ?? false,
    advanced: input.advanced ?? false,
    show: true,
    list: input.list ?? false,
    multiline: input.multiline ?? false,
    password: secret,
    load_from_db: input.loadFromDb ?? false,
    tool_mode: input.toolMode ?? false,
    info: input.info ?? '',
    input_types: input.inputTypes ?? [],
    placeholder: '',
    dynamic: false,
    trace_as_metadata: true,
    ...(input.options ? { options: input.options } : {}),
  };
}

function aliasesOf(definition: ComponentDefinition): Record<string, unknown> {
  const names = [...new Set([definition.type, ...(definition.aliases ?? [])])].filter((name) => name !== (definition.name ?? definition.type));
  return names.length > 0 ? { aliases: names } : {};
}

/** A component's `frontend_node`, as `/api/v1/all` and saved flows carry it. */
export function frontendNode(definition: ComponentDefinition): Record<string, unknown> {
  const template: Record<string, unknown> = { _type: 'Component' };
  for (const input of definition.inputs) template[input.name] = templateField(input);
  return {
    template,
    description: definition.description ?? '',
    icon: definition.icon ?? null,
    base_classes: [...new Set(definition.outputs.flatMap((o) => o.types))],
    display_name: definition.displayName,
    documentation: '',
    minimized: false,
    custom_fields: {},
    output_types: [],
    pinned: false,
    conditional_paths: [],
    frozen: false,
    outputs: definition.outputs.map((output) => ({
      types: output.types,
      selected: output.types[0] ?? null,
      name: output.name,
      display_name: output.displayName ?? output.name,
      method: output.method ?? output.name,
      value: '__UNDEFINED__',
      cache: true,
      allows_loop: output.allowsLoop ?? false,
      group_outputs: output.groupOutputs ?? false,
      tool_mode: true,
    })),
    field_order: definition.inputs.map((i) => i.name),
    beta: false,
    legacy: false,
    edited: false,
    // Every `data.type` a saved node may carry for this component (Langflow renamed some: Prompt →
    // Prompt Template, URL → URLComponent): the editor marks a node "not available" only when its type
    // is none of them. Langflow ignores metadata keys it does not know.
    metadata: aliasesOf(definition),
    tool_mode: false,
  };
}

/** `{category: {name: frontend_node}}` for every registered component, keyed as Langflow's component index is. */
export function componentPalette(definitions: ComponentDefinition[]): Record<string, Record<string, unknown>> {
  const palette: Record<string, Record<string, unknown>> = {};
  for (const definition of definitions) (palette[definition.category] ??= {})[definition.name ?? definition.type] = frontendNode(definition);
  return palette;
}
