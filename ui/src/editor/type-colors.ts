// Handle and edge colours by data type, close to Langflow's so a flow reads the same at a glance.
const COLORS: Record<string, string> = {
  Message: '#4f46e5',
  Text: '#4f46e5',
  str: '#4f46e5',
  Data: '#dc2626',
  JSON: '#dc2626',
  DataFrame: '#db2777',
  Table: '#db2777',
  LanguageModel: '#c026d3',
  Embeddings: '#10b981',
  Tool: '#0891b2',
  VectorStore: '#7c3aed',
  Memory: '#ea580c',
  Retriever: '#ca8a04',
  Document: '#65a30d',
};

const FALLBACK = '#64748b';

/** The colour of the first type that has one. */
export function typeColor(types: readonly string[] | undefined): string {
  for (const type of types ?? []) if (COLORS[type]) return COLORS[type];
  return FALLBACK;
}
