import type { FlowData, FlowJson } from '../../engine/flow-json.js';
import type { ComponentRegistry } from '../../engine/registry.js';
import type { Database } from '../database/index.js';
import type { Settings } from '../settings.js';
import { createVariableResolver } from '../variables/index.js';
import type { RunHost, StoredFlow, TransactionRow, VertexBuildRow } from './run-job.js';

export interface RunHostOptions {
  database: Database;
  settings: Settings;
  registry: ComponentRegistry;
  log?: (line: string) => void;
}

/** The RunHost of a server or worker process: flows, messages and variables from the database. */
export function createRunHost({ database, settings, registry, log }: RunHostOptions): RunHost {
  return {
    registry,
    log,
    async loadFlow(flowId: string): Promise<StoredFlow | null> {
      const flow = await database.flows.getById(flowId);
      if (!flow) return null;
      return { id: flow.id, name: flow.name, userId: flow.user_id, data: (flow.data as unknown as FlowData | null) ?? null };
    },
    engineServices(userId, requestVariables) {
      return {
        messages: database.messageStore,
        variables: createVariableResolver({ repos: database, userId, requestVariables: requestVariables ?? {}, settings }),
        registry,
        allowedHosts: settings.allowedHosts,
        flows: {
          // Run Flow may only load the same user's flows.
          load: async (nameOrId: string): Promise<FlowJson | undefined> => {
            if (!userId) return undefined;
            const byId = await database.flows.getForUser(nameOrId, userId).catch(() => undefined);
            const flow = byId ?? (await database.flows.list(userId)).find((f) => f.name === nameOrId);
            return flow ? { id: flow.id, name: flow.name, data: (flow.data ?? { nodes: [], edges: [] }) as unknown as FlowData } : undefined;
          },
        },
      };
    },
    async recordRun(builds: VertexBuildRow[], transactions: TransactionRow[]): Promise<void> {
      // Written behind, batched with other runs' rows; closing the database writes what is pending.
      database.recorder.record(
        builds.map((build) => ({
          id: build.vertexId,
          flowId: build.flowId,
          valid: build.valid,
          params: build.params,
          data: build.data,
          artifacts: build.artifacts,
          timestamp: build.timestamp.toISOString(),
        })),
        transactions.map((transaction) => ({
          flowId: transaction.flowId,
          vertexId: transaction.vertexId,
          targetId: transaction.targetId,
          inputs: transaction.inputs,
          outputs: transaction.outputs,
          status: transaction.status,
          error: transaction.error,
          timestamp: transaction.timestamp.toISOString(),
        })),
      );
    },
  };
}
