import { numberOrUndefined, modelFromFields, selectedModel } from './providers/chat.js';
import { providerId } from './providers/index.js';
import { defineModelComponent } from './model-component.js';

/** Langflow's unified Language Model: the `model` field picks provider and model. */
export const languageModel = defineModelComponent({
  type: 'LanguageModelComponent',
  displayName: 'Language Model',
  description: 'Runs a language model given a specified provider.',
  icon: 'brain-circuit',
  inputs: [
    { name: 'model', displayName: 'Language Model', kind: 'model', inputTypes: ['LanguageModel'], default: [], required: true },
    { name: 'api_key', displayName: 'API Key', kind: 'secret', default: '', password: true, advanced: true },
    { name: 'base_url_ibm_watsonx', displayName: 'watsonx API Endpoint', kind: 'text', default: 'https://us-south.ml.cloud.ibm.com' },
    { name: 'project_id', displayName: 'watsonx Project ID', kind: 'text', default: '' },
    { name: 'ollama_base_url', displayName: 'Ollama API URL', kind: 'text', inputTypes: ['Message'], default: '' },
    { name: 'temperature', displayName: 'Temperature', kind: 'float', default: 0.1, advanced: true },
  ],
  model: (ctx) => {
    const p = ctx.params;
    const selection = selectedModel(p.model);
    const isOllama = selection ? providerId(selection.provider) === 'ollama' : false;
    return modelFromFields(ctx, {
      model: p.model,
      apiKey: p.api_key,
      baseUrl: isOllama ? p.ollama_base_url : undefined,
      urlField: isOllama ? 'Ollama API URL' : undefined,
      settings: { temperature: numberOrUndefined(p.temperature) },
    });
  },
});
