import { defineComponent } from '../../engine/component.js';
import { Message } from '../../engine/schema/message.js';
import { toText } from '../../engine/schema/convert.js';
import { promptVariables, renderPrompt, type PromptMode } from './prompt-template.js';

export const prompt = defineComponent({
  type: 'Prompt',
  aliases: ['Prompt Template'],
  name: 'Prompt Template',
  displayName: 'Prompt Template',
  description: 'Create a prompt template with dynamic variables.',
  category: 'models_and_agents',
  icon: 'braces',
  dynamicFields: true,
  inputs: [
    { name: 'template', displayName: 'Template', kind: 'text', default: '', prompt: true },
    { name: 'use_double_brackets', displayName: 'Use Double Brackets', kind: 'bool', default: false, advanced: true },
    { name: 'tool_placeholder', displayName: 'Tool Placeholder', kind: 'text', default: '', advanced: true, toolMode: true },
  ],
  outputs: [{ name: 'prompt', displayName: 'Prompt', types: ['Message'], method: 'build_prompt' }],
  compute: {
    prompt: (ctx) => {
      const template = String(ctx.params.template ?? '');
      const mode: PromptMode = ctx.params.use_double_brackets === true || ctx.params.mode === 'mustache' ? 'mustache' : 'f-string';
      const values: Record<string, string> = {};
      for (const name of promptVariables(template, mode)) values[name] = toText(ctx.params[name]);
      const text = renderPrompt(template, mode, values);
      ctx.setStatus(text);
      return new Message({ text });
    },
  },
});
