import { nowIso } from '../database/codec.js';
import type { Repositories } from '../database/index.js';
import type { Db } from '../database/repos/types.js';
import { CREDENTIAL_TYPE } from '../variables/index.js';
import {
  catalogueModelType,
  isDefaultModel,
  MODELS,
  PROVIDERS,
  providerEntry,
  type CatalogueModel,
} from './catalogue.js';

export { PROVIDERS, MODELS, providerVariableMapping } from './catalogue.js';

export type DefaultModelKind = 'language' | 'embedding';

export interface DefaultModel {
  model_name: string;
  provider: string;
  model_type: string;
}

export interface ModelStatusUpdate {
  provider: string;
  model_id: string;
  enabled: boolean;
}

export interface CatalogueQuery {
  providers?: string[];
  modelName?: string;
  modelType?: string;
  includeUnsupported?: boolean;
  includeDeprecated?: boolean;
  /** Exact-match metadata filters (tool_calling, reasoning, search, preview, deprecated, not_supported). */
  metadata?: Partial<Record<'tool_calling' | 'reasoning' | 'search' | 'preview' | 'deprecated' | 'not_supported', boolean>>;
}

/**
 * Per-user preferences, stored in `user_preference` (migration 0002): one JSON value per name. A table
 * of its own rather than hidden variables, so they never appear among (or collide with) the user's
 * global variables.
 */
const PREF = {
  defaultLanguage: 'default_language_model',
  defaultEmbedding: 'default_embedding_model',
  enabledModels: 'enabled_models',
  disabledModels: 'disabled_models',
} as const;

export class ModelService {
  constructor(
    private readonly db: Db,
    private readonly repos: Pick<Repositories, 'variables'>,
  ) {}

  private async preference<T>(userId: string, name: string): Promise<T | undefined> {
    const row = await this.db.selectFrom('user_preference').select('value').where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      return undefined;
    }
  }

  private async setPreference(userId: string, name: string, value: unknown): Promise<void> {
    const row = { user_id: userId, name, value: JSON.stringify(value), updated_at: nowIso() };
    await this.db
      .insertInto('user_preference')
      .values(row)
      .onConflict((oc) => oc.columns(['user_id', 'name']).doUpdateSet({ value: row.value, updated_at: row.updated_at }))
      .execute();
  }

  private async deletePreference(userId: string, name: string): Promise<void> {
    await this.db.deleteFrom('user_preference').where('user_id', '=', userId).where('name', '=', name).execute();
  }

  /**
   * A provider is enabled when the user has its credential variable: a Credential for API keys (as in
   * Langflow), any variable for a non-secret one (Ollama's base URL).
   */
  async providerStatus(userId: string): Promise<Record<string, boolean>> {
    const variables = await this.repos.variables.listForUser(userId);
    const status: Record<string, boolean> = {};
    for (const entry of PROVIDERS) {
      const required = entry.variables.filter((v) => v.required);
      status[entry.provider] = required.length > 0 && required.every((v) => variables.some((r) => r.name === v.variable_key && (!v.is_secret || r.type === CREDENTIAL_TYPE)));
    }
    return status;
  }

  async enabledProviders(userId: string, only: string[] = []): Promise<{ enabled_providers: string[]; provider_status: Record<string, boolean> }> {
    const status = await this.providerStatus(userId);
    const keep = (provider: string) => only.length === 0 || only.includes(provider);
    const provider_status = Object.fromEntries(Object.entries(status).filter(([provider]) => keep(provider)));
    const enabled_providers = Object.entries(provider_status).filter(([, on]) => on).map(([provider]) => provider);
    return { enabled_providers, provider_status };
  }

  /** The catalogue grouped by provider, each with `is_enabled`; the default model's provider first, then enabled ones. */
  async catalogue(userId: string, query: CatalogueQuery = {}): Promise<Record<string, unknown>[]> {
    const status = await this.providerStatus(userId);
    const defaultProvider = query.modelType ? (await this.defaultModel(userId, defaultKind(query.modelType)))?.provider : undefined;
    const groups = groupByProvider(filterModels(query));
    const result = groups.map(({ provider, models }) => {
      const entry = providerEntry(provider);
      return {
        provider,
        models: models.map((m) => ({ model_name: m.name, metadata: modelMetadata(m) })),
        num_models: models.length,
        icon: entry?.icon ?? provider,
        variables: entry?.variables ?? [],
        api_docs_url: entry?.api_docs_url ?? null,
        is_enabled: status[provider] ?? false,
      };
    });
    const rank = (p: { provider: string; is_enabled: boolean }) => [p.provider === defaultProvider ? 0 : 1, p.is_enabled ? 0 : 1] as const;
    return result.sort((a, b) => {
      const [ad, ae] = rank(a);
      const [bd, be] = rank(b);
      return ad - bd || ae - be || a.provider.localeCompare(b.provider);
    });
  }

  /** `{provider: {model: enabled}}`: enabled when the provider is, the model is current, and it is a default or was switched on (and not off). */
  async enabledModels(userId: string, modelNames: string[] = []): Promise<{ enabled_models: Record<string, Record<string, boolean>> }> {
    const [status, disabled, explicitlyEnabled] = await Promise.all([
      this.providerStatus(userId),
      this.preference<string[]>(userId, PREF.disabledModels),
      this.preference<string[]>(userId, PREF.enabledModels),
    ]);
    const off = new Set(disabled ?? []);
    const on = new Set(explicitlyEnabled ?? []);
    const enabled_models: Record<string, Record<string, boolean>> = {};
    for (const model of MODELS) {
      if (modelNames.length > 0 && !modelNames.includes(model.name)) continue;
      const isOn = (status[model.provider] ?? false) && !model.deprecated && !model.not_supported && (isDefaultModel(model.provider, model.name) || on.has(model.name)) && !off.has(model.name);
      (enabled_models[model.provider] ??= {})[model.name] = isOn;
    }
    return { enabled_models };
  }

  async updateEnabledModels(userId: string, updates: ModelStatusUpdate[]): Promise<{ disabled_models: string[]; enabled_models: string[] }> {
    const disabled = new Set((await this.preference<string[]>(userId, PREF.disabledModels)) ?? []);
    const enabled = new Set((await this.preference<string[]>(userId, PREF.enabledModels)) ?? []);
    for (const update of updates) {
      if (update.enabled) {
        disabled.delete(update.model_id);
        if (!isDefaultModel(update.provider, update.model_id)) enabled.add(update.model_id);
      } else {
        disabled.add(update.model_id);
        enabled.delete(update.model_id);
      }
    }
    await this.setPreference(userId, PREF.disabledModels, [...disabled]);
    await this.setPreference(userId, PREF.enabledModels, [...enabled]);
    return { disabled_models: [...disabled], enabled_models: [...enabled] };
  }

  async defaultModel(userId: string, kind: DefaultModelKind = 'language'): Promise<DefaultModel | undefined> {
    const value = await this.preference<Partial<DefaultModel>>(userId, kind === 'language' ? PREF.defaultLanguage : PREF.defaultEmbedding);
    if (!value || typeof value.model_name !== 'string' || typeof value.provider !== 'string' || typeof value.model_type !== 'string') return undefined;
    return { model_name: value.model_name, provider: value.provider, model_type: value.model_type };
  }

  async setDefaultModel(userId: string, model: DefaultModel): Promise<DefaultModel> {
    const value = { model_name: model.model_name, provider: model.provider, model_type: model.model_type };
    await this.setPreference(userId, defaultKind(model.model_type) === 'language' ? PREF.defaultLanguage : PREF.defaultEmbedding, value);
    return value;
  }

  async clearDefaultModel(userId: string, kind: DefaultModelKind): Promise<void> {
    await this.deletePreference(userId, kind === 'language' ? PREF.defaultLanguage : PREF.defaultEmbedding);
  }

  /**
   * The entries the unified ModelInput offers (`/api/v1/model_options/{language,embedding}`): the
   * user's enabled models of enabled providers, in the shape a saved `model` field holds.
   */
  async modelOptions(userId: string, kind: DefaultModelKind): Promise<Record<string, unknown>[]> {
    const type = kind === 'language' ? 'llm' : 'embeddings';
    const { enabled_models } = await this.enabledModels(userId);
    return MODELS.filter((m) => m.model_type === type && enabled_models[m.provider]?.[m.name]).map((m) => {
      const entry = providerEntry(m.provider)!;
      return {
        name: m.name,
        icon: entry.icon,
        category: m.provider,
        provider: m.provider,
        metadata: {
          model_class: type === 'llm' ? entry.modelClass : entry.embeddingClass,
          model_name_param: 'model',
          api_key_param: entry.apiKeyParam,
          ...(m.context_length !== undefined && { context_length: m.context_length }),
          tool_calling: m.tool_calling,
          reasoning: m.reasoning,
        },
      };
    });
  }
}

export function defaultKind(modelType: string): DefaultModelKind {
  return catalogueModelType(modelType) === 'embeddings' ? 'embedding' : 'language';
}

function filterModels(query: CatalogueQuery): CatalogueModel[] {
  const type = query.modelType ? catalogueModelType(query.modelType) : undefined;
  return MODELS.filter((m) => {
    if (!query.includeUnsupported && m.not_supported) return false;
    if (!query.includeDeprecated && m.deprecated) return false;
    if (query.providers && query.providers.length > 0 && !query.providers.includes(m.provider)) return false;
    if (query.modelName && m.name !== query.modelName) return false;
    if (type && m.model_type !== type) return false;
    for (const [key, value] of Object.entries(query.metadata ?? {})) {
      if (value !== undefined && m[key as keyof CatalogueModel] !== value) return false;
    }
    return true;
  });
}

function groupByProvider(models: CatalogueModel[]): { provider: string; models: CatalogueModel[] }[] {
  const groups = new Map<string, CatalogueModel[]>();
  for (const model of models) {
    const list = groups.get(model.provider) ?? [];
    list.push(model);
    groups.set(model.provider, list);
  }
  return [...groups].map(([provider, list]) => ({ provider, models: list }));
}

function modelMetadata(model: CatalogueModel): Record<string, unknown> {
  const { name: _name, provider: _provider, ...rest } = model;
  return { icon: providerEntry(model.provider)?.icon ?? model.provider, ...rest, default: isDefaultModel(model.provider, model.name) };
}
