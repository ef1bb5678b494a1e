// Just enough of a Kubernetes API server for `helm template --dry-run=server`: discovery of the kinds the chart
// renders, and GET of the Secrets given (everything else is 404). It lets the tests see what the chart's
// lookup does on an upgrade, where the generated Secrets already exist.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

const kinds = {
  v1: ["Secret", "ConfigMap", "Service", "ServiceAccount"],
  "apps/v1": ["Deployment", "StatefulSet"],
  "batch/v1": ["Job"],
  "autoscaling/v2": ["HorizontalPodAutoscaler"],
  "policy/v1": ["PodDisruptionBudget"],
  "networking.k8s.io/v1": ["NetworkPolicy", "Ingress"],
  "monitoring.coreos.com/v1": ["ServiceMonitor", "PrometheusRule"],
};
const plural = (kind) => (kind.endsWith("y") ? `${kind.slice(0, -1)}ies` : kind.endsWith("s") ? `${kind}es` : `${kind}s`).toLowerCase();
const resourceList = (gv) => ({
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: gv,
  resources: kinds[gv].map((kind) => ({ name: plural(kind), singularName: kind.toLowerCase(), namespaced: true, kind, verbs: ["get", "list"] })),
});

/** Starts the server with these Secrets (owned by `release`); returns { kubeconfig, requests, close }. */
export async function startFakeApiServer({ namespace, release, secrets }) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = req.url.split("?")[0];
    requests.push(`${req.method} ${url}`);
    const reply = (code, body) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "GET") return reply(405, { kind: "Status", apiVersion: "v1", status: "Failure", code: 405 });
    if (url === "/version") return reply(200, { major: "1", minor: "32", gitVersion: "v1.32.0", platform: "linux/amd64" });
    if (url === "/api") return reply(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
    if (url === "/apis") {
      const groups = Object.keys(kinds).filter((gv) => gv.includes("/")).map((gv) => {
        const [name, version] = gv.split("/");
        return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
      });
      return reply(200, { kind: "APIGroupList", apiVersion: "v1", groups });
    }
    if (url === "/api/v1") return reply(200, resourceList("v1"));
    const group = /^\/apis\/([^/]+\/[^/]+)$/.exec(url);
    if (group && kinds[group[1]]) return reply(200, resourceList(group[1]));
    const secret = new RegExp(`^/api/v1/namespaces/${namespace}/secrets/([^/]+)$`).exec(url);
    if (secret && secrets[secret[1]]) {
      const data = Object.fromEntries(Object.entries(secrets[secret[1]]).map(([k, v]) => [k, Buffer.from(v).toString("base64")]));
      return reply(200, {
        apiVersion: "v1",
        kind: "Secret",
        type: "Opaque",
        metadata: {
          name: secret[1],
          namespace,
          labels: { "app.kubernetes.io/managed-by": "Helm" },
          annotations: { "meta.helm.sh/release-name": release, "meta.helm.sh/release-namespace": namespace },
        },
        data,
      });
    }
    reply(404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const dir = mkdtempSync(join(tmpdir(), "chatroom-kube-"));
  const kubeconfig = join(dir, "config");
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "fake", cluster: { server: `http://127.0.0.1:${server.address().port}` } }],
      users: [{ name: "fake", user: { token: "fake" } }],
      contexts: [{ name: "fake", context: { cluster: "fake", user: "fake", namespace } }],
      "current-context": "fake",
    }),
  );
  return {
    kubeconfig,
    requests,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
