// Renders charts/chatroom with the real helm binary and parses what it prints.
import { execFileSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

export const chartDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const repoDir = resolve(chartDir, "../..");
export const helm = process.env.HELM ?? "helm";

/** The three value sets kept in ci/ (the chart-testing convention), by short name. */
export const valueSets = {
  dev: join(chartDir, "ci/dev-values.yaml"),
  prod: join(chartDir, "ci/prod-values.yaml"),
  "external-models": join(chartDir, "ci/external-models-values.yaml"),
};

export const release = "prod";
export const namespace = "chat";
export const fullname = "prod-chatroom";

export function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20, ...options });
}

const cache = new Map();

/** helm template for a value set (plus --set pairs); the rendered objects, each with its source template. */
export function render(valueSet, sets = []) {
  const key = JSON.stringify([valueSet, sets]);
  if (!cache.has(key)) {
    const args = ["template", release, chartDir, "--namespace", namespace];
    if (valueSet) args.push("--values", valueSets[valueSet] ?? valueSet);
    // "json:key=<JSON>" replaces a whole value (--set-json), e.g. a map the chart's default would merge into.
    for (const set of sets) args.push(...(set.startsWith("json:") ? ["--set-json", set.slice(5)] : ["--set", set]));
    cache.set(key, parseManifests(run(helm, args)));
  }
  return cache.get(key);
}

export function parseManifests(text) {
  const objects = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`helm printed invalid YAML: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value == null) continue;
    const source = /# Source: (.*)/.exec(doc.commentBefore ?? "")?.[1] ?? "";
    Object.defineProperty(value, "source", { value: source, enumerable: false });
    objects.push(value);
  }
  return objects;
}

export const ofKind = (objects, kind) => objects.filter((o) => o.kind === kind);
export const named = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);

/** Pod templates of every workload (Deployment, StatefulSet, Job, and the `helm test` Pod), with the workload. */
export function podTemplates(objects) {
  return objects
    .filter((o) => ["Deployment", "StatefulSet", "Job", "Pod"].includes(o.kind))
    .map((o) => ({ workload: o, template: o.kind === "Pod" ? { metadata: o.metadata, spec: o.spec } : o.spec.template }));
}

export const component = (labels) => labels?.["app.kubernetes.io/component"];
