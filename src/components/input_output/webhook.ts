import { parseUntrustedJson } from '../../engine/safe-json.js';
import { defineComponent } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';

export const webhook = defineComponent({
  type: 'Webhook',
  displayName: 'Webhook',
  description: 'Defines a webhook trigger for the flow.',
  category: 'input_output',
  icon: 'webhook',
  role: 'webhook',
  inputs: [
    { name: 'data', displayName: 'Payload', kind: 'text', default: '', multiline: true, advanced: true, info: 'Receives a payload from external systems via HTTP POST.' },
    { name: 'curl', displayName: 'cURL', kind: 'text', default: '', advanced: true },
    { name: 'endpoint', displayName: 'Endpoint', kind: 'text', default: '', advanced: true },
  ],
  outputs: [{ name: 'output_data', displayName: 'Data', types: ['Data'], method: 'build_data' }],
  compute: {
    output_data: (ctx) => {
      const raw = String(ctx.params.data ?? '');
      if (!raw) {
        ctx.setStatus('No data provided.');
        return new Data({});
      }
      let body: Record<string, unknown>;
      try {
        // Langflow escapes a bare newline between quotes before parsing.
        const parsed: unknown = parseUntrustedJson(raw.replaceAll('"\n"', '"\\n"'));
        body = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { payload: raw };
      } catch {
        ctx.setStatus(`Invalid JSON payload. Please check the format.\n\n${raw}`);
        return new Data({ payload: raw });
      }
      const data = new Data(body);
      ctx.setStatus(data);
      return data;
    },
  },
});
