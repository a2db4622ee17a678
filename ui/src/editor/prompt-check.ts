// A prompt template's `{variables}` become input fields, as in Langflow: after the user stops typing,
// the template goes to POST /api/v1/validate/prompt with the node, and the node the server gives back
// (one text field per variable, removed variables dropped) replaces it, in the same undo step.
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/http';
import { useEditor } from './EditorContext';
import type { NodeBody } from './flow-types';

const DELAY_MS = 500;

export function usePromptCheck(nodeId: string, field: string, enabled: boolean) {
  const { flow } = useEditor();
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useMemo(
    () => ({
      error,
      schedule(template: string) {
        if (!enabled) return;
        clearTimeout(timer.current);
        timer.current = setTimeout(() => {
          const node = flow.getState().nodes.find((n) => n.id === nodeId);
          if (!node?.data.node) return;
          api<{ frontend_node: NodeBody | null }>('/api/v1/validate/prompt', { method: 'POST', json: { name: field, template, frontend_node: node.data.node } })
            .then((answer) => {
              setError(null);
              const body = answer.frontend_node;
              // Only if the template did not change again meanwhile.
              const now = flow.getState().nodes.find((n) => n.id === nodeId);
              const value = (now?.data.node?.template?.[field] as { value?: unknown } | undefined)?.value;
              if (!body || value !== template) return;
              flow.getState().updateNode(nodeId, (n) => ({ ...n, data: { ...n.data, node: body } }), `field:${nodeId}:${field}`);
            })
            .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
        }, DELAY_MS);
      },
    }),
    [enabled, error, field, flow, nodeId],
  );
}
