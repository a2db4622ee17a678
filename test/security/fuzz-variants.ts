import type { Operation } from './api-surface.js';

/**
 * The malformed requests of the OpenAPI fuzz run (`fuzz-openapi.test.ts`), generated from each
 * operation's own schemas. Every choice comes from a seeded generator, so a run is repeatable and a
 * failure names the exact variant that caused it.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One request to send: path (with query) exactly as written, headers besides auth, body bytes. */
export interface FuzzRequest {
  method: string;
  /** The documented path, for reports. */
  operation: string;
  variant: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Sent byte for byte (raw-http): the path holds bytes or segments `fetch` would rewrite. */
  raw?: boolean;
  /** Sent as every user (the well-formed baselines); the malformed variants are shared out among the users. */
  everyUser: boolean;
}

/** Real identifiers for path, query and body values, per parameter name and method. */
export type IdSource = (name: string, method: string, path: string) => string;

/** mulberry32: small, fast and good enough to pick variants reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID v4 drawn from the seeded generator. */
export function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)];
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

type BodyVariant = Pick<FuzzRequest, 'variant' | 'headers' | 'body'>;

/** JSON text spliced in as is: numbers JavaScript cannot hold, lone surrogates, deep nesting. */
class Raw {
  constructor(readonly text: string) {}
}

function encode(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(encode).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${encode(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const MEGABYTE_STRING = 'A'.repeat(1024 * 1024);
const TEN_KB = 'x'.repeat(10 * 1024);
const HUNDRED_KB = 'y'.repeat(100 * 1024);
const DEPTH = 10_000;
const deepArrays = new Raw(`${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`);
const deepObjects = new Raw(`${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`);

/** Values of every JSON kind (and some JSON JavaScript reads oddly), grouped by the kind a schema may refuse. */
const VALUES_BY_KIND: Record<string, [string, unknown][]> = {
  integer: [['int', 123], ['negative', -1], ['zero', 0], ['huge-int', new Raw('99999999999999999999999999')]],
  number: [['float', 1.5], ['infinity', new Raw('1e999')], ['neg-infinity', new Raw('-1e999')], ['tiny', new Raw('1e-999')]],
  boolean: [['true', true], ['false', false]],
  null: [['null', null]],
  string: [['empty-string', '']
    , ['nul-char', 'a\u0000b'], ['lone-surrogate', new Raw('"\\ud800x"')], ['not-a-uuid', 'not-a-uuid'], ['numeric-string', '123'], ['emoji', '\u{1F600}']],
  array: [['empty-array', []], ['mixed-array', [1, 'a', null, {}]], ['nested-array', [[[]]]]],
  object: [['empty-object', {}], ['nested-object', { a: { b: [1] } }], ['object-with-constructor', { constructor: 'x', prototype: 1 }]],
};

function kindsOf(schema: Json | undefined): Set<string> {
  if (!schema) return new Set(Object.keys(VALUES_BY_KIND));
  const branches = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (branches) return new Set(branches.flatMap((branch) => [...kindsOf(branch)]));
  if (schema.type === undefined) return new Set(Object.keys(VALUES_BY_KIND));
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  // An integer is also a number to JSON, and a whole number fits a number.
  return new Set(types.flatMap((type) => (type === 'number' ? ['number', 'integer'] : [type])));
}

/** The first branch of an `anyOf` that is not null. */
function concrete(schema: Json): Json {
  const branches = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (!branches) return schema;
  return concrete(branches.find((branch) => branch.type !== 'null') ?? branches[0]);
}

/** A plausible value for a schema: the baseline that each variant breaks in one place. */
function sample(schema: Json, name: string, ids: IdSource, method: string, path: string, full: boolean, depth = 0): unknown {
  const s = concrete(schema);
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum)) return s.enum[0];
  switch (s.type) {
    case 'string':
      if (s.format === 'uuid' || /(?:^|_)id$/.test(name)) return ids(name, method, path);
      return 'fuzz';
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1;
    case 'boolean':
      return false;
    case 'array':
      return depth > 3 ? [] : [sample((s.items ?? {}) as Json, name, ids, method, path, full, depth + 1)];
    case 'object': {
      const value: Record<string, unknown> = {};
      const required = new Set((s.required ?? []) as string[]);
      for (const [key, property] of Object.entries((s.properties ?? {}) as Record<string, Json>)) {
        if (depth <= 3 && (full || required.has(key))) value[key] = sample(property, key, ids, method, path, full, depth + 1);
      }
      return value;
    }
    default:
      return {};
  }
}

interface Slot {
  at: (string | number)[];
  schema: Json;
}

/** Every place in a body a field lives, to two levels (properties and array items). */
function slotsOf(schema: Json, at: (string | number)[] = []): Slot[] {
  if (at.length > 2) return [];
  const s = concrete(schema);
  const slots: Slot[] = [];
  for (const [key, property] of Object.entries((s.properties ?? {}) as Record<string, Json>)) {
    slots.push({ at: [...at, key], schema: property }, ...slotsOf(property, [...at, key]));
  }
  if (s.type === 'array' && s.items) slots.push({ at: [...at, 0], schema: s.items as Json }, ...slotsOf(s.items as Json, [...at, 0]));
  return slots;
}

function setAt(root: unknown, at: (string | number)[], value: unknown): unknown {
  if (at.length === 0) return value;
  const [head, ...rest] = at;
  const container: Json = typeof head === 'number' ? (Array.isArray(root) ? [...root] : []) : root !== null && typeof root === 'object' && !Array.isArray(root) ? { ...(root as Json) } : {};
  container[head] = setAt(container[head], rest, value);
  return container;
}

function pick<T>(random: () => number, items: T[], count: number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return chosen;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** Bodies that break a JSON route: shape, types, size, depth, dangerous keys, bytes and content types. */
function bodyVariants(op: Operation, ids: IdSource, random: () => number): BodyVariant[] {
  const schema = op.bodySchema ?? { type: 'object' };
  const base = sample(schema, 'body', ids, op.method, op.path, false);
  const full = sample(schema, 'body', ids, op.method, op.path, true);
  const baseText = encode(base);
  const json = (variant: string, value: unknown) => ({ variant, headers: JSON_TYPE, body: utf8(encode(value)) });
  const text = (variant: string, body: string | Buffer, contentType = 'application/json') => ({ variant, headers: { 'content-type': contentType }, body: typeof body === 'string' ? utf8(body) : body });
  // `{"k": v, ...rest}` with the key first, whatever the baseline holds.
  const withKey = (key: string, value: string, keyText = JSON.stringify(key)) => {
    const rest = baseText.startsWith('{') && baseText !== '{}' ? `,${baseText.slice(1)}` : '}';
    return `{${keyText}:${value}${rest}`;
  };
  // A string value holding bytes that are not UTF-8.
  const withBytes = (bytes: number[]) => {
    const [before, after] = withKey('name', '"<bytes>"').split('<bytes>');
    return Buffer.concat([utf8(before), Buffer.from(bytes), utf8(after)]);
  };
  const variants: BodyVariant[] = [json('baseline', base), json('all-fields', full)];
  for (const [label, value] of [['array', []], ['string', 'fuzz'], ['number', 1], ['null', null], ['true', true]] as const) variants.push(json(`body-is-${label}`, value));
  const s = concrete(schema);
  for (const key of (s.required ?? []) as string[]) {
    const rest = { ...(base as Json) };
    delete rest[key];
    variants.push(json(`missing-${key}`, rest));
  }
  if (s.type === 'object') variants.push(json('empty-object', {}));
  const slots = slotsOf(schema);
  for (const slot of slots) {
    const kinds = kindsOf(slot.schema);
    const wrong = Object.entries(VALUES_BY_KIND).filter(([kind]) => !kinds.has(kind) || kinds.size === Object.keys(VALUES_BY_KIND).length);
    // Three of the refused kinds per field (seeded): every field gets wrong types, every kind many fields.
    for (const [kind, values] of pick(random, wrong, 3)) {
      const [label, value] = pick(random, values, 1)[0];
      variants.push(json(`${slot.at.join('.')}=${kind}:${label}`, setAt(base, slot.at, value)));
    }
  }
  const stringSlots = slots.filter((slot) => kindsOf(slot.schema).has('string'));
  for (const slot of pick(random, stringSlots, 2)) variants.push(json(`${slot.at.join('.')}=1MB-string`, setAt(base, slot.at, MEGABYTE_STRING)));
  // Every string field long at once (past SQLite's 50,000-byte LIKE patterns, RegExp and header limits).
  if (stringSlots.length > 0) variants.push(json('every-string-100KB', stringSlots.reduce((body, slot) => setAt(body, slot.at, HUNDRED_KB), base)));
  for (const slot of pick(random, slots, 2)) {
    variants.push(json(`${slot.at.join('.')}=10000-deep-arrays`, setAt(base, slot.at, deepArrays)));
    variants.push(json(`${slot.at.join('.')}=10000-deep-objects`, setAt(base, slot.at, deepObjects)));
  }
  variants.push(
    text('1MB-string-body', JSON.stringify(MEGABYTE_STRING)),
    text('1MB-key', withKey(MEGABYTE_STRING, '1')),
    text('100k-element-array', `[${'0,'.repeat(100_000)}0]`),
    json('10000-deep-arrays', deepArrays),
    json('10000-deep-objects', deepObjects),
    text('10000-deep-under-key', withKey('data', deepObjects.text)),
    text('__proto__-key', withKey('__proto__', '{"polluted":"yes"}')),
    text('escaped-__proto__-key', withKey('', '{"polluted":"yes"}', '"\\u005f_proto__"')),
    text('constructor.prototype', withKey('constructor', '{"prototype":{"polluted":"yes"}}')),
    text('prototype-key', withKey('prototype', '{"polluted":"yes"}')),
    text('nested-__proto__', withKey('tweaks', '{"node":{"__proto__":{"polluted":"yes"}}}')),
    text('invalid-utf8-in-string', withBytes([0xff, 0xfe, 0xc3, 0x28])),
    text('overlong-utf8', withBytes([0xc0, 0xaf, 0xe0, 0x80, 0xaf])),
    text('surrogate-bytes-utf8', withBytes([0xed, 0xa0, 0x80])),
    text('truncated-utf8', Buffer.concat([utf8(baseText.slice(0, -1)), Buffer.from([0xe2, 0x82])])),
    text('utf16-bom', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(baseText, 'utf16le')]), 'application/json; charset=utf-16'),
    text('malformed-json', '{"name": '),
    text('text-plain', baseText, 'text/plain'),
    text('multipart-without-boundary', baseText, 'multipart/form-data'),
    text('multipart-wrong-boundary', '--zzz\r\nContent-Disposition: form-data; name="file"\r\n\r\nx', 'multipart/form-data; boundary=abc'),
    text('form-to-json-route', 'name=fuzz&__proto__=x&a[b]=c&%ff=%fe', 'application/x-www-form-urlencoded'),
    text('empty-json-body', '', 'application/json'),
    text('whitespace-json-body', ' \n\t ', 'application/json'),
    text('xml', '<?xml version="1.0"?><a>&lt;</a>', 'application/xml'),
    text('json-with-odd-params', baseText, 'application/json; charset=latin1; boundary=x'),
    text('json-subtype', baseText, 'application/vnd.api+json'),
    { variant: 'no-content-type', headers: {}, body: utf8(baseText) },
  );
  return variants;
}

/** Multipart bodies (uploads): files named to escape, holding deep or poisoned JSON, cut short. */
function multipartVariants(): BodyVariant[] {
  const boundary = 'fuzzboundary';
  const part = (field: string, filename: string | null, content: string | Buffer) =>
    Buffer.concat([utf8(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"${filename === null ? '' : `; filename="${filename}"`}\r\nContent-Type: application/json\r\n\r\n`), typeof content === 'string' ? utf8(content) : content, utf8('\r\n')]);
  const form = (variant: string, ...parts: Buffer[]) => ({ variant, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat([...parts, utf8(`--${boundary}--\r\n`)]) });
  return [
    form('multipart-no-parts'),
    form('multipart-deep-json-file', part('file', 'deep.json', deepObjects.text)),
    form('multipart-__proto__-file', part('file', 'pp.json', '{"name":"pp","data":{"nodes":[],"edges":[]},"__proto__":{"polluted":"yes"}}')),
    form('multipart-traversal-name', part('file', '../../../etc/passwd', 'x')),
    form('multipart-10KB-name', part('file', `${TEN_KB}.json`, '{}')),
    form('multipart-invalid-utf8-name', part('file', Buffer.from([0xff, 0xfe, 0x2e, 0x6a]).toString('latin1'), '{}')),
    form('multipart-field-not-file', part('file', null, '{"name":"x"}')),
    form('multipart-wrong-field', part('upload', 'x.json', '{}')),
    { variant: 'multipart-cut-short', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: part('file', 'x.json', '{"na') },
  ];
}

/** Path values: real ids, unknown ids, junk, 10 KB, bytes that are not UTF-8, traversal. */
const PATH_VALUES: [string, string][] = [
  ['not-a-uuid', 'not-a-uuid'],
  ['10KB-id', TEN_KB],
  ['nul', '%00'],
  ['invalid-utf8', '%ff%fe'],
  ['truncated-utf8', '%E2%82'],
  ['lone-percent', '%'],
  ['encoded-traversal', '..%2F..%2Fetc%2Fpasswd'],
  ['emoji', '%F0%9F%98%80'],
  ['space', '%20'],
  ['negative', '-1'],
  ['infinity', '1e999'],
  ['uppercase-uuid', ''],
];

/** Query values of every type a parameter may refuse. */
const QUERY_VALUES: [string, string][] = [
  ['word', 'abc'], ['empty', ''], ['negative', '-1'], ['zero', '0'], ['huge-int', '99999999999999999999999'], ['infinity', '1e400'], ['float', '1.5'],
  ['true', 'true'], ['list', '[]'], ['invalid-utf8', '%ff%fe'], ['lone-percent', '%'], ['nul', '%00'], ['10KB', TEN_KB],
];

/** The requests that should work: every user sends them, so each user's handlers run. */
const EVERY_USER = new Set(['baseline', 'all-fields', 'no-body']);

function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => values[name]);
}

/** Every request of the run for one operation. `random` decides which values break which field. */
export function fuzzRequests(op: Operation, ids: IdSource, random: () => number): FuzzRequest[] {
  const realPath: Record<string, string> = {};
  for (const name of op.pathParams) realPath[name] = encodeURIComponent(ids(name, op.method, op.path));
  const query = op.parameters.filter((p) => p.in === 'query');
  const baseQuery: Record<string, string> = {};
  for (const p of query) if (p.required) baseQuery[p.name] = String(sample(p.schema, p.name, ids, op.method, op.path, false));
  const queryText = (values: Record<string, string>, extra = '') => {
    const pairs = Object.entries(values).map(([k, v]) => `${encodeURIComponent(k)}=${v.includes('%') ? v : encodeURIComponent(v)}`);
    const all = extra ? [...pairs, extra] : pairs;
    return all.length > 0 ? `?${all.join('&')}` : '';
  };
  const url = (pathValues = realPath, queryValues = baseQuery, extra = '') => fill(op.path, pathValues) + queryText(queryValues, extra);
  const takesBody = ['POST', 'PUT', 'PATCH'].includes(op.method) || op.bodySchema !== null;
  const bodies = takesBody ? bodyVariants(op, ids, random) : [{ variant: 'unexpected-json-body', headers: JSON_TYPE, body: utf8('{"a": [1, {"__proto__": 1}]') }];
  const baseline = bodies[0];
  const requests: FuzzRequest[] = [];
  const add = (variant: string, path: string, body: BodyVariant = baseline, raw = false) =>
    requests.push({ method: op.method, operation: op.path, path, headers: body.headers, body: body.body, variant: variant || body.variant, raw, everyUser: EVERY_USER.has(variant || body.variant) });

  if (!takesBody) add('no-body', url(), { variant: 'no-body', headers: {} });
  for (const body of bodies) add('', url(), body);
  if (['POST', 'PUT'].includes(op.method)) for (const body of multipartVariants()) add('', url(), body);

  for (const name of op.pathParams) {
    const random_id = seededUuid(random);
    add(`path.${name}=unknown-uuid`, url({ ...realPath, [name]: random_id }));
    for (const [label, value] of PATH_VALUES) {
      const v = label === 'uppercase-uuid' ? realPath[name].toUpperCase() : value;
      add(`path.${name}=${label}`, url({ ...realPath, [name]: v }));
    }
    // Bytes and segments fetch would encode or resolve away.
    add(`path.${name}=raw-invalid-utf8`, url({ ...realPath, [name]: '\xff\xfe' }), baseline, true);
    add(`path.${name}=raw-dot-segments`, url({ ...realPath, [name]: '../../..' }), baseline, true);
  }

  if (query.some((p) => p.required)) add('query-missing-required', url(realPath, {}));
  for (const p of query) {
    const wrong = kindsOf(p.schema).has('string') && !concrete(p.schema).format && !concrete(p.schema).enum ? pick(random, QUERY_VALUES, 4) : pick(random, QUERY_VALUES, 7);
    for (const [label, value] of wrong) add(`query.${p.name}=${label}`, url(realPath, { ...baseQuery, [p.name]: value }));
    add(`query.${p.name}=repeated`, url(realPath, baseQuery, `${p.name}=1&${p.name}=2`));
  }
  add('query-unknown-and-junk', url(realPath, baseQuery, '%ff=%fe&&=&a[b]=c&__proto__=1'));
  return requests;
}
