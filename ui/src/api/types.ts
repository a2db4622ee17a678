// The shapes of Weft's public API (Langflow's), as far as the app reads them. Unknown keys are kept
// untouched wherever the app writes a flow back.

export interface TokenResponse {
  access_token: string;
  refresh_token: string | null;
  token_type: string;
}

export interface User {
  id: string;
  username: string;
  is_active: boolean;
  is_superuser: boolean;
  profile_image?: string | null;
  last_login_at?: string | null;
}

export interface Project {
  id: string;
  name: string;
  description: string | null;
  parent_id: string | null;
}

export interface FlowData {
  nodes: unknown[];
  edges: unknown[];
  viewport?: { x: number; y: number; zoom: number };
  [key: string]: unknown;
}

/** A flow as listed (`header_flows`, or a page of a project): no graph. */
export interface FlowHeader {
  id: string;
  name: string;
  description: string | null;
  folder_id: string | null;
  is_component: boolean;
  endpoint_name: string | null;
  access_type?: string;
  tags?: string[] | null;
  updated_at?: string | null;
}

/** A whole flow (`GET /api/v1/flows/{id}`). */
export interface Flow extends FlowHeader {
  data: FlowData | null;
  user_id: string | null;
  icon?: string | null;
  icon_bg_color?: string | null;
  gradient?: string | null;
  locked?: boolean | null;
  mcp_enabled?: boolean | null;
  [key: string]: unknown;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
}

export interface ProjectPage {
  folder: Project;
  flows: Page<FlowHeader>;
}

/** `/api/v1/starter-projects/`: the examples a new flow can start from. */
export interface StarterProject {
  name: string;
  description: string | null;
  data: FlowData;
  is_component: boolean;
  endpoint_name: string | null;
}

export interface AppConfig {
  default_folder_name?: string;
  max_file_size_upload?: number;
  auto_saving?: boolean;
  auto_saving_interval?: number;
  [key: string]: unknown;
}
