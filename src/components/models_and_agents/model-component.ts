import { defineComponent, type ComponentContext, type ComponentDefinition, type InputDecl } from '../../engine/component.js';
import type { Message } from '../../engine/schema/message.js';
import { chatPrompt, modelMessageProperties, reply } from './providers/chat.js';
import type { LanguageModelHandle } from './providers/index.js';

/** Inputs every Langflow chat-model component has (LCModelComponent's base inputs). */
export const baseModelInputs: InputDecl[] = [
  { name: 'input_value', displayName: 'Input', kind: 'message', inputTypes: ['Message'], default: '' },
  { name: 'system_message', displayName: 'System Message', kind: 'text', inputTypes: ['Message'], default: '', multiline: true },
  { name: 'stream', displayName: 'Stream', kind: 'bool', default: false, advanced: true },
];

export interface ModelComponentSpec {
  type: string;
  aliases?: string[];
  displayName: string;
  description: string;
  icon: string;
  category?: string;
  inputs: InputDecl[];
  /** The chat model the node's fields describe. */
  model(ctx: ComponentContext): Promise<LanguageModelHandle>;
}

/** A chat-model component: `text_output` (the reply Message) and `model_output` (the model itself). */
export function defineModelComponent(spec: ModelComponentSpec): ComponentDefinition {
  const model = (ctx: ComponentContext) => ctx.memo('model', () => spec.model(ctx));
  return defineComponent({
    type: spec.type,
    aliases: spec.aliases,
    displayName: spec.displayName,
    description: spec.description,
    category: spec.category ?? 'models_and_agents',
    icon: spec.icon,
    inputs: [...baseModelInputs, ...spec.inputs],
    outputs: [
      { name: 'text_output', displayName: 'Model Response', types: ['Message'], method: 'text_response' },
      { name: 'model_output', displayName: 'Language Model', types: ['LanguageModel'], method: 'build_model' },
    ],
    compute: {
      text_output: async (ctx): Promise<Message> => {
        const handle = await model(ctx);
        const prompt = chatPrompt(ctx.params.input_value, ctx.params.system_message);
        const stream = ctx.run.stream && ctx.params.stream === true;
        const message = await reply(ctx, handle, prompt, stream);
        Object.assign(message.properties, modelMessageProperties(ctx, handle, spec.icon));
        if (!message.stream) ctx.setStatus(message.text);
        return message;
      },
      model_output: (ctx) => model(ctx),
    },
  });
}
