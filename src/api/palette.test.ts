import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from '../components/registry.js';
import { componentPalette } from './palette.js';

test('/api/v1/all palette: Langflow\'s category folders and component names as keys', () => {
  const palette = componentPalette(createRegistry().all());
  // The Prompt is listed under its Langflow name, as the component index lists it.
  assert.equal((palette.models_and_agents['Prompt Template'] as { display_name: string }).display_name, 'Prompt Template');
  assert.equal('Prompt' in palette.models_and_agents, false);
  // …and names the types saved flows use for it, so the editor does not mark a saved Prompt unknown.
  assert.deepEqual((palette.models_and_agents['Prompt Template'] as { metadata: unknown }).metadata, { aliases: ['Prompt'] });
  assert.deepEqual((palette.input_output.ChatInput as { metadata: unknown }).metadata, {});
  // The template is Langflow's PromptInput, so editors turn its {variables} into fields.
  const template = (palette.models_and_agents['Prompt Template'] as { template: Record<string, { type: string; _input_type: string }> }).template.template;
  assert.deepEqual([template.type, template._input_type], ['prompt', 'PromptInput']);
  for (const [category, name] of [
    ['input_output', 'ChatInput'], ['models_and_agents', 'Agent'], ['models_and_agents', 'LanguageModelComponent'], ['models_and_agents', 'Memory'],
    ['openai', 'OpenAIModel'], ['openai', 'OpenAIEmbeddings'], ['anthropic', 'AnthropicModel'], ['ollama', 'OllamaModel'],
    ['flow_controls', 'RunFlow'], ['flow_controls', 'LoopComponent'], ['processing', 'ParserComponent'], ['data_source', 'URLComponent'],
  ] as const) {
    assert.ok(palette[category]?.[name], `${category}.${name}`);
  }
  assert.equal('logic' in palette, false);
});
