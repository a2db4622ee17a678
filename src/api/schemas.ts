import { Type, type Static } from '@sinclair/typebox';

/** TypeBox schemas shared by several routers; they validate requests and feed the OpenAPI document. */

export const Uuid = Type.String({ format: 'uuid' });
export const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const AnyObject = Type.Object({}, { additionalProperties: true });

export const Detail = Type.Object({ detail: Type.Unknown() }, { description: 'FastAPI error body' });

export const FlowIdParams = Type.Object({ flow_id: Uuid });
export type FlowIdParams = Static<typeof FlowIdParams>;

const flowFields = {
  description: Type.Optional(NullableString),
  icon: Type.Optional(NullableString),
  icon_bg_color: Type.Optional(NullableString),
  gradient: Type.Optional(NullableString),
  data: Type.Optional(Type.Union([AnyObject, Type.Null()])),
  is_component: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  endpoint_name: Type.Optional(NullableString),
  tags: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
  locked: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  mcp_enabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  action_name: Type.Optional(NullableString),
  action_description: Type.Optional(NullableString),
  access_type: Type.Optional(Type.Union([Type.Literal('PRIVATE'), Type.Literal('PUBLIC'), Type.Null()])),
  folder_id: Type.Optional(Type.Union([Uuid, Type.Null()])),
  fs_path: Type.Optional(NullableString),
};

export const FlowCreate = Type.Object(
  { name: Type.String(), id: Type.Optional(Type.Union([Uuid, Type.Null()])), user_id: Type.Optional(Type.Union([Type.String(), Type.Null()])), ...flowFields },
  { additionalProperties: true },
);
export type FlowCreate = Static<typeof FlowCreate>;

export const FlowUpdate = Type.Object({ name: Type.Optional(NullableString), ...flowFields }, { additionalProperties: true });
export type FlowUpdate = Static<typeof FlowUpdate>;

export const FlowRead = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: NullableString,
    data: Type.Union([AnyObject, Type.Null()]),
    user_id: NullableString,
    folder_id: NullableString,
    webhook: Type.Boolean(),
    endpoint_name: NullableString,
    access_type: Type.String(),
  },
  { additionalProperties: true },
);

export const IdList = Type.Array(Uuid);
