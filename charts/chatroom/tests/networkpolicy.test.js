// NetworkPolicies allow exactly the app's flows: every connection between the release's pods and their peers,
// computed from the rendered policies, equals the list of flows the app needs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chartDir, component, fullname, helm, named, namespace, ofKind, podTemplates, release, render, run } from "./lib/chart.js";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
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
  { name: "webhook-receiver", ip: "10.60.3.4" },
  { name: "cloud-metadata", ip: "169.254.169.254" },
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
const addresses = "redis-cluster, milvus, otel-collector, postgres-server, webhook-receiver, cloud-metadata, internet";
const ollamaPulls = `ollama -> ${addresses}:443/TCP`;
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
    `analysis -> ${addresses}:443/TCP`,
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

describe("webhook deliveries (webhooks)", () => {
  const analysisEnv = (objects) =>
    Object.fromEntries(named(objects, "Deployment", `${fullname}-analysis`).spec.template.spec.containers[0].env.map((e) => [e.name, e.value]));
  const webhookKeys = (env) => Object.keys(env).filter((k) => k.startsWith("Chatroom__Webhooks__"));
  const analysisFlows = (objects) =>
    allowedFlows(ofKind(objects, "NetworkPolicy"), endpointsOf(objects), [...ports, [8443, "TCP"]]).filter((f) => f.startsWith("analysis -> "));

  it("are off by default: analysis reaches no receiver and gets no webhook settings", () => {
    const objects = render(null);
    assert.deepEqual(analysisFlows(objects).filter((f) => /internet|webhook-receiver/.test(f)), []);
    assert.deepEqual(webhookKeys(analysisEnv(objects)), []);
  });
  // prod with webhooks on and one internal receiver network.
  const prodWithWebhooks = () => render("prod", ["webhooks.enabled=true", "webhooks.allowedNetworks={10.60.0.0/16}"]);

  it("reach public addresses and the internal network listed, never the other private ranges or the cloud metadata address", () => {
    const objects = prodWithWebhooks();
    const flows = allowedFlows(ofKind(objects, "NetworkPolicy"), endpointsOf(objects), ports);
    assert.deepEqual(flows, expand([...expected.prod, "analysis -> internet, webhook-receiver:443/TCP", "analysis -> internet, webhook-receiver:80/TCP"]));
    const policy = named(objects, "NetworkPolicy", `${fullname}-analysis`);
    new NetworkPolicy(policy).validate();
  });
  it("pass webhooks.allowedNetworks to the analysis service alone, as Chatroom:Webhooks:AllowedNetworks", () => {
    const objects = prodWithWebhooks();
    assert.deepEqual(Object.fromEntries(Object.entries(analysisEnv(objects)).filter(([k]) => k.startsWith("Chatroom__Webhooks__"))),
      { Chatroom__Webhooks__AllowedNetworks__0: "10.60.0.0/16" });
    for (const service of ["api", "socketserver", "web"]) {
      const env = named(objects, "Deployment", `${fullname}-${service}`).spec.template.spec.containers[0].env ?? [];
      assert.deepEqual(env.filter((e) => e.name.startsWith("Chatroom__Webhooks__")), [], service);
    }
  });
  it("follow webhooks.egress: other ports, and a range let through by leaving it out of except (link-local here)", () => {
    const objects = render(null, ["webhooks.enabled=true", "webhooks.egress.ports={8443}",
      "webhooks.egress.except={10.0.0.0/8,172.16.0.0/12,192.168.0.0/16}"]);
    assert.deepEqual(analysisFlows(objects).filter((f) => f.endsWith(":8443/TCP")), ["analysis -> cloud-metadata:8443/TCP", "analysis -> internet:8443/TCP"]);
  });
  it("refuse a network that is not a CIDR before anything is applied", () => {
    assert.throws(() => run(helm, ["template", release, chartDir, "--set", "webhooks.enabled=true", "--set", "webhooks.allowedNetworks={intranet}"]),
      (error) => /allowedNetworks/.test(String(error.stderr)));
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
