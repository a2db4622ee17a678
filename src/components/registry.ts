import { MapRegistry } from '../engine/registry.js';
import { chatInput } from './input_output/chat-input.js';
import { chatOutput } from './input_output/chat-output.js';
import { textInput } from './input_output/text-input.js';
import { textOutput } from './input_output/text-output.js';
import { prompt } from './models_and_agents/prompt.js';
import { webhook } from './input_output/webhook.js';
import { parser } from './processing/parser.js';
import { splitTextComponent } from './processing/split-text.js';
import { typeConverter } from './processing/type-converter.js';
import { combineText } from './processing/combine-text.js';
import { dataOperations } from './processing/data-operations.js';
import { dataFrameOperations } from './processing/dataframe-operations.js';
import { storeMessageComponent } from './processing/store-message.js';
import { conditionalRouter } from './flow_controls/conditional-router.js';
import { dataConditionalRouter } from './flow_controls/data-conditional-router.js';
import { loop } from './flow_controls/loop.js';
import { pass } from './flow_controls/pass.js';
import { memory } from './models_and_agents/memory.js';
import { calculator } from './utilities/calculator.js';
import { currentDate } from './utilities/current-date.js';
import { idGenerator } from './utilities/id-generator.js';
import { languageModel } from './models_and_agents/language-model.js';
import { anthropicModel, azureOpenAIModel, googleModel, groqModel, mistralModel, ollamaModel, openAICompatibleModel, openAIModel } from './models_and_agents/provider-models.js';
import { agent } from './models_and_agents/agent.js';
import { structuredOutput } from './llm_operations/structured-output.js';
import { urlComponent } from './data_source/url.js';
import { apiRequest } from './data_source/api-request.js';
import { mcpTools } from './models_and_agents/mcp-tools.js';
import { embeddingModel, ollamaEmbeddings, openAIEmbeddings } from './models_and_agents/embeddings.js';
import { runFlowComponent } from './logic/run-flow.js';
import { hashingEmbeddings } from './models_and_agents/hashing-embeddings.js';
import { localDB } from './vector_stores/local-db.js';
import { chromaDB } from './vector_stores/chroma.js';
import { faissVectorStore } from './vector_stores/faiss.js';
import { fileComponent } from './files_and_knowledge/file.js';
import { directoryComponent } from './files_and_knowledge/directory.js';
import { pgVectorStore } from './vector_stores/pgvector.js';
import { saveToFile } from './files_and_knowledge/save-file.js';
import { knowledgeIngestion } from './files_and_knowledge/knowledge-ingestion.js';
import { knowledgeRetrieval } from './files_and_knowledge/knowledge-retrieval.js';
import { customDefinitionFromNode } from './custom/custom-component.js';

/** Every component Weft ships, keyed by the `data.type` Langflow saves. Add one line per component. */
export function createRegistry(): MapRegistry {
  const registry = new MapRegistry([
    chatInput,
    chatOutput,
    textInput,
    textOutput,
    prompt,
    webhook,
    parser,
    splitTextComponent,
    typeConverter,
    combineText,
    dataOperations,
    dataFrameOperations,
    storeMessageComponent,
    conditionalRouter,
    dataConditionalRouter,
    loop,
    pass,
    memory,
    calculator,
    currentDate,
    idGenerator,
    languageModel,
    openAIModel,
    anthropicModel,
    googleModel,
    ollamaModel,
    groqModel,
    mistralModel,
    azureOpenAIModel,
    openAICompatibleModel,
    agent,
    structuredOutput,
    urlComponent,
    apiRequest,
    mcpTools,
    embeddingModel,
    openAIEmbeddings,
    ollamaEmbeddings,
    runFlowComponent,
    hashingEmbeddings,
    localDB,
    chromaDB,
    faissVectorStore,
    fileComponent,
    directoryComponent,
    knowledgeIngestion,
    knowledgeRetrieval,
    pgVectorStore,
    saveToFile,
  ]);
  // Nodes carrying Weft custom component code (docs/custom-components.md) define their own component.
  registry.setNodeResolver(customDefinitionFromNode);
  return registry;
}
