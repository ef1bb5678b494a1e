// Unknown-field check. kubernetes-models validates types, required fields, formats and enums but lets unknown
// fields through (the Kubernetes OpenAPI does not close objects), while the API server drops or refuses them.
// The package's type declarations list every field of every object, so this walks an object along them and
// reports any key the declaration does not have (a mis-indented or misspelt field).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const modules = resolve(dirname(fileURLToPath(import.meta.url)), "../node_modules");
const parsed = new Map();

function resolveImport(fromFile, specifier) {
  const base = specifier.startsWith(".") ? resolve(dirname(fromFile), specifier) : join(modules, specifier);
  for (const candidate of [base.replace(/\.js$/, ".d.ts"), `${base}.d.ts`, join(base, "index.d.ts")]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** The first interface a declaration file exports: its fields and, for each, the declaration of its type. */
function declaration(file) {
  if (parsed.has(file)) return parsed.get(file);
  const text = readFileSync(file, "utf8");
  const imports = new Map();
  for (const m of text.matchAll(/^import \{ ([^}]+) \} from "([^"]+)";$/gm)) {
    for (const name of m[1].split(",").map((s) => s.trim())) imports.set(name, m[2]);
  }
  const block = /^export interface \w+([^{]*)\{\n([\s\S]*?)^\}/m.exec(text);
  let result = null;
  if (block) {
    const fields = new Map();
    // Fields an interface inherits (gateway-api: HTTPRouteSpec extends CommonRouteSpec, which has parentRefs).
    const base = /extends (I\w+)/.exec(block[1])?.[1];
    const baseFile = base && imports.has(base) ? resolveImport(file, imports.get(base)) : null;
    for (const [name, field] of (baseFile && declaration(baseFile)) || []) fields.set(name, field);
    for (const m of block[2].matchAll(/^ {4}"([^"]+)"\??: (.*)$/gm)) {
      const type = m[2];
      const ref = /^(?:Array<)?(I\w+)>?;$/.exec(type);
      const target = ref && imports.has(ref[1]) ? resolveImport(file, imports.get(ref[1])) : null;
      fields.set(m[1], { file: target, array: type.startsWith("Array<") });
    }
    result = fields;
  }
  parsed.set(file, result);
  return result;
}

/** Paths of fields the declaration in `file` does not know, walking nested declared types. */
export function unknownFields(value, file, path = "") {
  const fields = declaration(file);
  if (!fields || value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const problems = [];
  for (const [key, child] of Object.entries(value)) {
    const field = fields.get(key);
    if (!field) {
      problems.push(`${path}.${key}`);
      continue;
    }
    if (!field.file) continue;
    if (field.array && Array.isArray(child)) {
      child.forEach((item, i) => problems.push(...unknownFields(item, field.file, `${path}.${key}[${i}]`)));
    } else {
      problems.push(...unknownFields(child, field.file, `${path}.${key}`));
    }
  }
  return problems;
}

/** The declaration file of a kind's model class: kubernetes-models, @kubernetes-models/prometheus-operator or gateway-api. */
export function modelDeclaration(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion : `v1`;
  const roots = [join(modules, "kubernetes-models"), join(modules, "@kubernetes-models/prometheus-operator"), join(modules, "@kubernetes-models/gateway-api")];
  for (const root of roots) {
    const file = join(root, group, `${kind}.d.ts`);
    if (existsSync(file)) return file;
  }
  return null;
}

/** The module that exports a kind's model class. */
export function modelModule(apiVersion) {
  if (apiVersion.endsWith("monitoring.coreos.com/v1")) return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  if (apiVersion.startsWith("gateway.networking.k8s.io/")) return `@kubernetes-models/gateway-api/${apiVersion}`;
  return apiVersion.includes("/") ? `kubernetes-models/${apiVersion}` : "kubernetes-models/v1";
}
