// Every rendered object is checked against the Kubernetes (and prometheus-operator CRD) schemas of
// kubernetes-models: types, required fields, formats, enums, and no field the API does not have.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { render, valueSets } from "./lib/chart.js";
import { modelDeclaration, modelModule, unknownFields } from "./lib/strict.js";

async function validate(object) {
  const module = await import(modelModule(object.apiVersion));
  const Model = module[object.kind];
  assert.ok(Model, `no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
  const declaration = modelDeclaration(object.apiVersion, object.kind);
  assert.ok(declaration, `no declaration for ${object.apiVersion} ${object.kind}`);
  assert.deepEqual(unknownFields(object, declaration), [], `${object.kind} ${object.metadata?.name} has unknown fields`);
}

describe("the validator itself", () => {
  const broken = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "broken" },
    spec: {
      selector: { matchLabels: { a: "b" } },
      template: { spec: { containers: [{ name: "c", image: "i", ports: [{ containerPort: 80 }] }] } },
    },
  };
  it("accepts a valid Deployment", async () => validate(structuredClone(broken)));
  it("refuses a wrong type", async () => {
    const object = structuredClone(broken);
    object.spec.template.spec.containers[0].ports[0].containerPort = "http";
    await assert.rejects(validate(object), /containerPort must be integer/);
  });
  it("refuses a misplaced field", async () => {
    const object = structuredClone(broken);
    object.spec.template.spec.containers[0].readinessprobe = { httpGet: { path: "/health", port: 80 } };
    await assert.rejects(validate(object), /readinessprobe/);
  });
  it("refuses a field nested where it does not belong in a CRD", async () => {
    await assert.rejects(
      validate({
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: "x" },
        spec: { selector: {}, endpoints: [{ port: "http", metricsPath: "/metrics" }] },
      }),
      /metricsPath/,
    );
  });
});

for (const name of Object.keys(valueSets)) {
  describe(`ci/${name}-values.yaml renders objects valid against their schemas`, () => {
    const objects = render(name);
    it("renders something", () => assert.ok(objects.length > 10));
    for (const object of objects) {
      it(`${object.kind} ${object.metadata.name}`, async () => validate(object));
    }
  });
}

// Switches the ci/ value sets leave at one position, rendered the other way and validated the same.
const variants = {
  "everything optional off": [
    "networkPolicy.enabled=false", "dashboards.enabled=false", "ollama.pull.enabled=false", "topologySpread.enabled=false",
    "serviceAccount.create=false", "api.pdb.enabled=false", "socketserver.autoscaling.enabled=false", "ingress.enabled=false",
  ],
  "external Redis without TLS or password, Ollama without GPU, ingress without TLS or affinity": [
    "redis.mode=external", "redis.external.endpoints={redis:6379}", "redis.external.tls=false", "ollama.gpu.enabled=false",
    "ingress.enabled=true", "ingress.tls.enabled=false", "ingress.hubsAffinity=false", "ingress.webSocketAnnotations=false",
    "otel.endpoint=http://collector:4317", "serviceMonitor.enabled=true", "prometheusRule.enabled=true",
    "prometheusRule.runbookBaseUrl=https://runbooks.example.com/chatroom",
  ],
  "Gateway API instead of Ingress, another ingress controller, the Redis exporter, shared Ollama volume, AMD GPUs, digests, global scheduling": [
    "ingress.enabled=false", "gateway.enabled=true", "gateway.parentRefs[0].name=public", "gateway.parentRefs[0].namespace=gateway",
    "gateway.parentRefs[0].sectionName=https", "gateway.hubsSessionPersistence=true", "redis.bundled.metrics.enabled=true",
    "serviceMonitor.enabled=true", "serviceMonitor.relabelings[0].targetLabel=node", "serviceMonitor.relabelings[0].sourceLabels[0]=__meta_kubernetes_pod_node_name",
    "ollama.persistence.existingClaim=models", "ollama.replicas=3", "ollama.gpu.type=amd", "ollama.extraEnv[0].name=OLLAMA_FLASH_ATTENTION",
    "ollama.extraEnv[0].value=on", "api.image.digest=sha256:" + "a".repeat(64), "global.imageRegistry=mirror.example.com",
    "global.priorityClassName=chatroom", "global.nodeSelector.pool=chat", "global.tolerations[0].key=dedicated", "global.tolerations[0].operator=Exists",
  ],
};
for (const [name, sets] of Object.entries(variants)) {
  describe(`${name}: objects valid against their schemas`, () => {
    const objects = render(null, sets);
    it("renders the four services", () => assert.equal(objects.filter((o) => o.kind === "Deployment").length, 4));
    for (const object of objects) {
      it(`${object.kind} ${object.metadata.name}`, async () => validate(object));
    }
  });
}
