// NetworkPolicies allow exactly the app's flows: every connection between the release's pods and their peers,
// computed from the rendered policies, equals the list of flows the app needs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { component, namespace, ofKind, podTemplates, render } from "./lib/chart.js";
import { allowedFlows, matchesSelector } from "./lib/netpol.js";

const outside = [
  { name: "ingress-controller", namespace: "ingress-nginx", labels: { "app.kubernetes.io/name": "ingress-nginx" } },
  { name: "prometheus", namespace: "monitoring", labels: { "app.kubernetes.io/name": "prometheus" } },
  { name: "dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
  { name: "other-app", namespace, labels: { app: "other" } },
  { name: "other-namespace", namespace: "default", labels: { app: "other" } },
  { name: "redis-cluster", ip: "10.20.3.4" },
  { name: "milvus", ip: "10.30.3.4" },
  { name: "otel-collector", ip: "10.40.3.4" },
  { name: "postgres-server", ip: "10.50.3.4" },
  { name: "internet", ip: "93.184.216.34" },
].map((e) => ({ ...e, release: false, namespaceLabels: e.namespace ? { "kubernetes.io/metadata.name": e.namespace } : undefined }));

const ports = [[53, "UDP"], [53, "TCP"], [22, "TCP"], [80, "TCP"], [443, "TCP"], [4317, "TCP"], [4318, "TCP"], [5432, "TCP"], [6379, "TCP"], [8080, "TCP"], [9121, "TCP"], [11434, "TCP"], [19530, "TCP"]];

function endpointsOf(objects) {
  const pods = podTemplates(objects).map(({ template }) => ({
    name: component(template.metadata.labels),
    namespace,
    namespaceLabels: { "kubernetes.io/metadata.name": namespace },
    labels: template.metadata.labels,
    release: true,
  }));
  return [...pods, ...outside];
}

/** Flows written as "a, b -> c, d:port/proto" expanded to one line per pair. */
function expand(lines) {
  return lines
    .flatMap((line) => {
      const [, froms, tos, port] = /^(.*) -> (.*):(\d+\/\w+)$/.exec(line);
      return froms.split(", ").flatMap((f) => tos.split(", ").map((t) => `${f} -> ${t}:${port}`));
    })
    .sort();
}

const app = ["api", "socketserver", "analysis", "web"];
const everyPod = (extra) => [...app, ...extra].join(", ");
const ingressAndScrape = [
  `ingress-controller -> ${app.join(", ")}:8080/TCP`,
  `prometheus -> ${app.join(", ")}:8080/TCP`,
];
const dns = (extra) => [`${everyPod(extra)} -> dns:53/UDP`, `${everyPod(extra)} -> dns:53/TCP`];
const ollamaPulls = "ollama -> redis-cluster, milvus, otel-collector, postgres-server, internet:443/TCP";
// The `helm test` pod reaches the four services, and nothing else.
const tests = `tests -> ${app.join(", ")}:8080/TCP`;

const expected = {
  dev: [
    ...ingressAndScrape,
    ...dns(["redis", "ollama", "tests", "postgresql", "accounts-migration"]),
    "api, socketserver, analysis -> redis:6379/TCP",
    "analysis -> ollama:11434/TCP",
    ollamaPulls,
    tests,
    // Accounts on the development PostgreSQL: only the API and the migration Job reach it.
    "api, accounts-migration -> postgresql:5432/TCP",
  ],
  prod: [
    ...ingressAndScrape,
    ...dns(["ollama", "tests", "accounts-migration"]),
    "api, socketserver, analysis -> redis-cluster:6379/TCP",
    // Accounts on an existing PostgreSQL in 10.50.0.0/16: only the API and the migration Job reach it.
    "api, accounts-migration -> postgres-server:5432/TCP",
    "analysis -> ollama:11434/TCP",
    tests,
    "analysis -> milvus:19530/TCP",
    `${app.join(", ")} -> otel-collector:4317/TCP`,
    `${app.join(", ")} -> otel-collector:4318/TCP`,
    ollamaPulls,
  ],
  // No CIDRs given for the model endpoint: analysis may reach any address outside the cluster, on 443 only.
  "external-models": [
    ...ingressAndScrape,
    ...dns(["redis", "tests"]),
    "api, socketserver, analysis -> redis:6379/TCP",
    "analysis -> redis-cluster, milvus, otel-collector, postgres-server, internet:443/TCP",
    tests,
  ],
};

for (const [set, flows] of Object.entries(expected)) {
  describe(`NetworkPolicies of ci/${set}-values.yaml`, () => {
    const objects = render(set);
    const policies = ofKind(objects, "NetworkPolicy");
    it("allow exactly the app's flows", () => {
      assert.deepEqual(allowedFlows(policies, endpointsOf(objects), ports), expand(flows));
    });
    it("deny by default every pod of the release, both ways", () => {
      for (const { workload, template } of podTemplates(objects)) {
        const types = policies.filter((p) => matchesSelector(p.spec.podSelector, template.metadata.labels)).flatMap((p) => p.spec.policyTypes);
        assert.ok(types.includes("Ingress") && types.includes("Egress"), workload.metadata.name);
      }
    });
  });
}

describe("NetworkPolicies with the bundled Redis's exporter on", () => {
  it("let Prometheus, and only Prometheus, scrape it on 9121", () => {
    const objects = render("dev", ["redis.bundled.metrics.enabled=true", "tests.enabled=false"]);
    const flows = allowedFlows(ofKind(objects, "NetworkPolicy"), endpointsOf(objects), ports).filter((f) => f.endsWith(":9121/TCP"));
    assert.deepEqual(flows, ["prometheus -> redis:9121/TCP"]);
  });
});

describe("the evaluator", () => {
  it("sees a flow opened by a policy that is too broad", () => {
    const objects = render("dev");
    const policies = structuredClone(ofKind(objects, "NetworkPolicy"));
    policies.find((p) => p.metadata.name.endsWith("-redis")).spec.ingress = [{}];
    const flows = allowedFlows(policies, endpointsOf(objects), ports);
    assert.ok(flows.includes("other-app -> redis:6379/TCP"));
    assert.ok(!flows.includes("web -> redis:6379/TCP"), "web's own egress still stops it");
    assert.notDeepEqual(flows, expand(expected.dev));
  });
  it("allows everything when there are no policies", () => {
    const objects = render("dev", ["networkPolicy.enabled=false"]);
    assert.equal(ofKind(objects, "NetworkPolicy").length, 0);
    assert.ok(allowedFlows([], endpointsOf(objects), ports).includes("other-app -> redis:6379/TCP"));
  });
});
