/**
 * Renders TypeScript interfaces from zod object schemas, docs included: each field's JSDoc is its
 * schema's `.describe()` text and the interface's JSDoc the object schema's own, so a field is
 * documented once (in the schema, which also writes the JSON Schema) and JSR, editors and the JSON
 * Schema all say the same. Types follow zod's output (`z.infer`): `.default()` fields are
 * required, `.optional()` ones optional; arrays and records come out readonly.
 *
 * A field whose schema is another named schema (the same zod definition: `.describe()` keeps it)
 * is written by that name; an object that holds every field of another named object extends it.
 *
 * @module
 */
import type { z } from "zod";

/** One interface to render. */
export interface InterfaceSpec {
  /** The interface's name. */
  readonly name: string;
  /** Its zod object schema, described, with every field described. */
  readonly schema: z.ZodObject;
  /** Fields are `readonly` (default true). */
  readonly readonly?: boolean;
  /**
   * Fields the interface makes optional although parsing fills them (a `.default()`), so values
   * built by hand or by older code may leave them out.
   */
  readonly optional?: readonly string[];
  /**
   * Written out in full (an object type, its fields documented) wherever another interface uses
   * it, rather than by name: a type of its own that an entry point need not export.
   */
  readonly inline?: boolean;
}

/** Further schemas written by name wherever they appear (an enum, a record type). */
export type SchemaNames = ReadonlyMap<z.ZodType, string>;

/** The zod internals read here: the definition (shared by a schema's described copies). */
interface Def {
  readonly type: string;
  readonly innerType?: ZodLike;
  readonly element?: ZodLike;
  readonly keyType?: ZodLike;
  readonly valueType?: ZodLike;
  readonly values?: readonly unknown[];
  readonly entries?: Record<string, unknown>;
}

interface ZodLike {
  readonly def: Def;
  readonly description?: string;
}

/** A schema's description, or that of the schema it wraps (nullable, optional, default). */
function descriptionOf(schema: ZodLike): string | undefined {
  let current: ZodLike | undefined = schema;
  while (current) {
    if (current.description !== undefined) return current.description;
    current = ["nullable", "optional", "default"].includes(current.def.type)
      ? current.def.innerType
      : undefined;
  }
  return undefined;
}

function union(type: string): string {
  return type.includes(" | ") ? `(${type})` : type;
}

/** How interfaces are written where used: by name, or (an inline one) in full. */
type Names = ReadonlyMap<unknown, string | InterfaceSpec>;

/** The TypeScript type of a schema's output, by name where the schema has one. */
function typeOf(schema: ZodLike, names: Names, where: string): string {
  const named = names.get(schema.def);
  if (typeof named === "string") return named;
  // Its fields' docs wrapped as if nested three deep (`deno fmt` indents them).
  if (named !== undefined) return `{\n${fieldLines(named, names, "      ").join("\n")}\n}`;
  const def = schema.def;
  switch (def.type) {
    case "string":
    case "number":
    case "boolean":
    case "unknown":
      return def.type;
    case "literal":
      return (def.values ?? []).map((value) => JSON.stringify(value)).join(" | ");
    case "enum":
      return Object.values(def.entries ?? {}).map((value) => JSON.stringify(value)).join(" | ");
    case "nullable":
      return `${typeOf(def.innerType!, names, where)} | null`;
    case "default":
    case "optional":
      return typeOf(def.innerType!, names, where);
    case "array":
      return `readonly ${union(typeOf(def.element!, names, where))}[]`;
    case "record":
      return `Readonly<Record<${typeOf(def.keyType!, names, where)}, ${
        typeOf(def.valueType!, names, where)
      }>>`;
    default:
      throw new Error(`${where}: a ${def.type} schema has no name; name it in the table`);
  }
}

/** Wraps text into a JSDoc comment at `indent`, lines at most 100 columns. */
export function formatJsDoc(text: string, indent: string): string[] {
  if (text.includes("*/")) throw new Error(`a description may not contain "*/": ${text}`);
  const single = `${indent}/** ${text} */`;
  if (!text.includes("\n") && single.length <= 100) return [single];
  const lines = [`${indent}/**`];
  const width = 100 - indent.length - 3;
  text.split(/\n\s*\n/).forEach((paragraph, index) => {
    if (index > 0) lines.push(`${indent} *`);
    let line = "";
    for (const word of paragraph.split(/\s+/).filter((part) => part.length > 0)) {
      if (line.length > 0 && line.length + 1 + word.length > width) {
        lines.push(`${indent} * ${line}`);
        line = word;
      } else {
        line = line.length > 0 ? `${line} ${word}` : word;
      }
    }
    if (line.length > 0) lines.push(`${indent} * ${line}`);
  });
  lines.push(`${indent} */`);
  return lines;
}

/** The rendered interfaces whose fields `spec` holds all of (identical schemas), most derived. */
function basesOf(spec: InterfaceSpec, all: readonly InterfaceSpec[]): InterfaceSpec[] {
  const shape = spec.schema.shape as Record<string, unknown>;
  const contains = (outer: Record<string, unknown>, inner: InterfaceSpec) =>
    Object.entries(inner.schema.shape).every(([key, field]) => outer[key] === field);
  // An inline interface has no name to extend where it is written out.
  const candidates = all.filter((other) =>
    other !== spec && other.inline !== true && contains(shape, other)
  );
  return candidates.filter((base) =>
    !candidates.some((other) =>
      other !== base && contains(other.schema.shape as Record<string, unknown>, base)
    )
  );
}

/**
 * Renders interfaces, in order, as TypeScript source (unformatted; `deno fmt` formats it).
 *
 * @param specs The interfaces to render.
 * @param others Interfaces rendered elsewhere, which these may name or extend.
 * @param names Names of further schemas (an enum, a record type) fields may use.
 * @returns The declarations, one after the other.
 * @throws {Error} When a schema or field has no description, or a nested object no name.
 */
export function renderInterfaces(
  specs: readonly InterfaceSpec[],
  others: readonly InterfaceSpec[] = [],
  names: SchemaNames = new Map(),
): string {
  const all = [...specs, ...others];
  // By definition: a described copy of a schema shares its definition.
  const allNames = new Map<unknown, string | InterfaceSpec>();
  for (const [schema, name] of names) allNames.set(schema.def, name);
  for (const spec of all) allNames.set(spec.schema.def, spec.inline === true ? spec : spec.name);
  const blocks = specs.map((spec) => {
    const doc = spec.schema.description;
    if (doc === undefined) throw new Error(`${spec.name}: the schema has no description`);
    const bases = basesOf(spec, all);
    const inherited = new Set(bases.flatMap((base) => Object.keys(base.schema.shape)));
    const extendsClause = bases.length > 0
      ? ` extends ${bases.map((base) => base.name).join(", ")}`
      : "";
    for (const key of spec.optional ?? []) {
      if (!(key in spec.schema.shape)) throw new Error(`${spec.name}.${key}: no such field`);
    }
    return [
      ...formatJsDoc(doc, ""),
      `export interface ${spec.name}${extendsClause} {`,
      ...fieldLines(spec, allNames, "  ", inherited),
      "}",
    ].join("\n");
  });
  return blocks.join("\n\n") + "\n";
}

/** An interface's fields (but the inherited ones), each with its JSDoc, at `indent`. */
function fieldLines(
  spec: InterfaceSpec,
  names: Names,
  indent: string,
  inherited: ReadonlySet<string> = new Set(),
): string[] {
  const lines: string[] = [];
  for (const [key, field] of Object.entries(spec.schema.shape)) {
    if (inherited.has(key)) continue;
    const where = `${spec.name}.${key}`;
    const zod = field as unknown as ZodLike;
    const description = descriptionOf(zod);
    if (description === undefined) throw new Error(`${where} has no description`);
    const optional = zod.def.type === "optional" || spec.optional?.includes(key) ? "?" : "";
    const modifier = spec.readonly === false ? "" : "readonly ";
    lines.push(...formatJsDoc(description, indent));
    lines.push(`${indent}${modifier}${key}${optional}: ${typeOf(zod, names, where)};`);
  }
  return lines;
}
