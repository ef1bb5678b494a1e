// What the chart promises, checked on its rendered output for each ci/ value set.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { component, fullname, named, ofKind, podTemplates, render, repoDir, valueSets } from "./lib/chart.js";

const services = ["api", "socketserver", "analysis", "web"];
const containersOf = (template) => [...(template.spec.initContainers ?? []), ...template.spec.containers];
const envOf = (objects, name) => named(objects, "Deployment", `${fullname}-${name}`).spec.template.spec.containers[0].env;
const envValue = (env, name) => env.find((e) => e.name === name)?.value;
const decode = (b64) => Buffer.from(b64, "base64").toString("utf8");
const hasGpu = (value) => JSON.stringify(value).includes("nvidia.com/gpu");

for (const set of Object.keys(valueSets)) {
  describe(`ci/${set}-values.yaml`, () => {
    const objects = render(set);
    const deployments = ofKind(objects, "Deployment");

    it("has a Deployment and a Service for each of api, socketserver, analysis and web", () => {
      assert.deepEqual(deployments.map((d) => component(d.metadata.labels)).sort(), [...services].sort());
      for (const name of services) assert.ok(named(objects, "Service", `${fullname}-${name}`), name);
    });

    for (const deployment of deployments) {
      describe(`Deployment ${deployment.metadata.name}`, () => {
        const pod = deployment.spec.template.spec;
        const container = pod.containers[0];
        it("probes /alive for liveness and /health for readiness on the http port", () => {
          assert.equal(container.livenessProbe.httpGet.path, "/alive");
          assert.equal(container.readinessProbe.httpGet.path, "/health");
          assert.equal(container.livenessProbe.httpGet.port, "http");
          assert.equal(container.readinessProbe.httpGet.port, "http");
          assert.deepEqual(container.ports, [{ name: "http", containerPort: 8080, protocol: "TCP" }]);
        });
        it("has CPU and memory requests and limits", () => {
          for (const kind of ["requests", "limits"]) {
            for (const resource of ["cpu", "memory"]) assert.ok(container.resources?.[kind]?.[resource], `${kind}.${resource}`);
          }
        });
        it("runs non-root with a read-only root filesystem, no capabilities and seccomp RuntimeDefault", () => {
          assert.equal(pod.securityContext.runAsNonRoot, true);
          assert.notEqual(pod.securityContext.runAsUser, 0);
          assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
          const sc = container.securityContext;
          assert.equal(sc.readOnlyRootFilesystem, true);
          assert.equal(sc.allowPrivilegeEscalation, false);
          assert.equal(sc.runAsNonRoot, true);
          assert.deepEqual(sc.capabilities.drop, ["ALL"]);
          assert.equal(pod.automountServiceAccountToken, false);
        });
        it("mounts emptyDirs at /tmp and at the data directory", () => {
          const dataDir = named(objects, "ConfigMap", `${fullname}-config`).data.Chatroom__DataDirectory;
          for (const path of ["/tmp", dataDir]) {
            const mount = container.volumeMounts.find((m) => m.mountPath === path);
            assert.ok(mount, `nothing mounted at ${path}`);
            assert.ok(pod.volumes.find((v) => v.name === mount.name).emptyDir, `${path} is not an emptyDir`);
          }
        });
        it("spreads its pods over zones and nodes", () => {
          const keys = pod.topologySpreadConstraints.map((c) => c.topologyKey);
          assert.deepEqual(keys, ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
          for (const c of pod.topologySpreadConstraints) {
            assert.deepEqual(c.labelSelector.matchLabels, deployment.spec.selector.matchLabels);
          }
        });
        it("has a PodDisruptionBudget selecting its pods", () => {
          const pdb = named(objects, "PodDisruptionBudget", deployment.metadata.name);
          assert.ok(pdb);
          assert.deepEqual(pdb.spec.selector.matchLabels, deployment.spec.selector.matchLabels);
        });
        it("reads the signing key from a Secret", () => {
          const key = container.env.find((e) => e.name === "Chatroom__Auth__SigningKey");
          assert.ok(key?.valueFrom?.secretKeyRef, "signing key not from a Secret");
        });
      });
    }

    it("gives every workload's pods (Ollama, Redis, the model pull) a restricted security context and limits", () => {
      for (const { workload, template } of podTemplates(objects)) {
        assert.equal(template.spec.securityContext.runAsNonRoot, true, workload.metadata.name);
        assert.equal(template.spec.securityContext.seccompProfile.type, "RuntimeDefault", workload.metadata.name);
        for (const c of containersOf(template)) {
          assert.equal(c.securityContext.readOnlyRootFilesystem, true, `${workload.metadata.name}/${c.name}`);
          assert.equal(c.securityContext.allowPrivilegeEscalation, false, `${workload.metadata.name}/${c.name}`);
          assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"], `${workload.metadata.name}/${c.name}`);
          assert.ok(c.resources.limits.memory && c.resources.limits.cpu, `${workload.metadata.name}/${c.name} limits`);
        }
      }
    });

    it("points each HorizontalPodAutoscaler at a rendered Deployment that leaves replicas to it", () => {
      for (const hpa of ofKind(objects, "HorizontalPodAutoscaler")) {
        const target = named(objects, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
        assert.ok(target, `${hpa.metadata.name} targets nothing`);
        assert.equal(hpa.spec.scaleTargetRef.apiVersion, "apps/v1");
        assert.equal(target.spec.replicas, undefined, `${target.metadata.name} sets replicas under an HPA`);
        assert.ok(hpa.spec.minReplicas <= hpa.spec.maxReplicas);
      }
    });

    it("selects existing pods with every Service", () => {
      const pods = podTemplates(objects).map((p) => p.template.metadata.labels);
      for (const service of ofKind(objects, "Service")) {
        const matches = pods.filter((labels) => Object.entries(service.spec.selector).every(([k, v]) => labels[k] === v));
        assert.ok(matches.length > 0, `Service ${service.metadata.name} selects no pod`);
      }
    });

    it("expands only env vars defined earlier in the same container ($(VAR) references)", () => {
      for (const { workload, template } of podTemplates(objects)) {
        for (const c of containersOf(template)) {
          const defined = new Set();
          for (const e of c.env ?? []) {
            for (const [, ref] of (e.value ?? "").matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
              assert.ok(defined.has(ref), `${workload.metadata.name}/${c.name}: ${e.name} uses $(${ref}) before it is defined`);
            }
            defined.add(e.name);
          }
          for (const arg of [...(c.args ?? []), ...(c.command ?? [])]) {
            for (const [, ref] of arg.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) assert.ok(defined.has(ref), `${c.name} arg $(${ref})`);
          }
        }
      }
    });

    it("keeps secrets out of ConfigMaps and out of literal env values", () => {
      const secretValues = ofKind(objects, "Secret").flatMap((s) => Object.values(s.data ?? {}).map(decode));
      const configText = JSON.stringify(ofKind(objects, "ConfigMap").map((c) => c.data));
      for (const value of secretValues) {
        assert.ok(!configText.includes(value), "a Secret's value is in a ConfigMap");
      }
      for (const { workload, template } of podTemplates(objects)) {
        for (const c of containersOf(template)) {
          for (const e of c.env ?? []) {
            for (const value of secretValues) assert.ok(!(e.value ?? "").includes(value), `${workload.metadata.name} ${e.name}`);
            if (/password|signingkey|_key$|apikey/i.test(e.name)) assert.ok(e.valueFrom?.secretKeyRef, `${e.name} is not from a Secret`);
            if (/password=|key=/i.test(e.value ?? "")) {
              assert.match(e.value, /(password|key)=\$\([A-Z_]+\)/i, `${e.name} carries a credential in plain text`);
            }
          }
        }
      }
      for (const cm of ofKind(objects, "ConfigMap").filter((c) => !c.metadata.name.includes("dashboard"))) {
        for (const key of Object.keys(cm.data)) assert.doesNotMatch(key, /password|secret|signingkey|connectionstrings/i, key);
      }
    });

    it("sets only configuration keys that docs/configuration.md documents", () => {
      const documented = readFileSync(join(repoDir, "docs/configuration.md"), "utf8");
      const sections = [...documented.matchAll(/^## `([^`]+)`/gm)].map((m) => m[1]);
      const names = new Set();
      for (const d of deployments) {
        for (const e of d.spec.template.spec.containers[0].env) names.add(e.name);
      }
      for (const cm of ofKind(objects, "ConfigMap").filter((c) => c.metadata.name.endsWith("-config"))) {
        for (const key of Object.keys(cm.data)) names.add(key);
      }
      for (const name of names) {
        if (!/^(Chatroom|ConnectionStrings|OTEL|ASPNETCORE)/.test(name) || name.startsWith("ASPNETCORE_")) continue;
        const key = name.replaceAll("__", ":");
        const leaf = key.split(":").slice(-1)[0];
        const known =
          documented.includes(`\`${name}\``) ||
          documented.includes(`\`${key}\``) ||
          sections.some((s) => key.startsWith(`${s}:`) && documented.includes(`\`${leaf}\``));
        assert.ok(known, `${name} is not in docs/configuration.md`);
      }
    });
  });
}

describe("GPU", () => {
  it("asks for nvidia.com/gpu, the runtime class, the GPU node selector and toleration when GPU is on (prod)", () => {
    const ollama = named(render("prod"), "StatefulSet", `${fullname}-ollama`).spec.template.spec;
    assert.equal(ollama.containers[0].resources.limits["nvidia.com/gpu"], "1");
    assert.equal(ollama.runtimeClassName, "nvidia");
    assert.equal(ollama.nodeSelector["nvidia.com/gpu.present"], "true");
    assert.ok(ollama.tolerations.some((t) => t.key === "nvidia.com/gpu" && t.effect === "NoSchedule"));
  });
  it("asks for no GPU anywhere when GPU is off (dev)", () => {
    const objects = render("dev");
    assert.ok(named(objects, "StatefulSet", `${fullname}-ollama`), "dev still runs Ollama, on CPU");
    for (const o of objects) assert.ok(!hasGpu(o), `${o.kind} ${o.metadata.name} mentions nvidia.com/gpu`);
    assert.equal(named(objects, "StatefulSet", `${fullname}-ollama`).spec.template.spec.runtimeClassName, undefined);
  });
  it("runs no Ollama and asks for no GPU with external models", () => {
    const objects = render("external-models");
    assert.ok(!objects.some((o) => component(o.metadata.labels) === "ollama" || component(o.metadata.labels) === "model-pull"));
    for (const o of objects) assert.ok(!hasGpu(o), `${o.kind} ${o.metadata.name}`);
  });
  it("pulls every configured model in each Ollama pod, from a sidecar and not a release hook", () => {
    const objects = render("prod");
    // The only Job is the accounts migration (postgresql.test.js); none pulls models.
    assert.ok(!ofKind(objects, "Job").filter((j) => component(j.metadata.labels) !== "accounts-migration").length,
      "no Job (a hook would fail the release on a registry outage)");
    const pod = named(objects, "StatefulSet", `${fullname}-ollama`).spec.template.spec;
    const pull = pod.containers.find((c) => c.name === "model-pull");
    assert.ok(pull, "no model-pull sidecar");
    assert.equal(pull.env.find((e) => e.name === "MODELS").value, "llama3.2:3b qwen2.5:14b nomic-embed-text llama-guard3:8b");
    assert.equal(pull.env.find((e) => e.name === "OLLAMA_HOST").value, "http://127.0.0.1:11434", "its own pod's Ollama");
    const script = pull.args.join("\n");
    assert.match(script, /until ollama pull "\$model"; do/, "retries until the pull succeeds");
    assert.match(script, /exec sleep infinity/, "stays up: the container never exits with an error");
    assert.deepEqual(pull.readinessProbe.exec.command, ["test", "-f", "/tmp/models-ready"], "ready only with the models");
    assert.equal(named(objects, "StatefulSet", `${fullname}-ollama`).spec.podManagementPolicy, "Parallel");
  });
});

describe("connections", () => {
  it("dev: bundled Redis with a generated password, in-cluster Ollama", () => {
    const objects = render("dev");
    const env = envOf(objects, "api");
    assert.equal(envValue(env, "ConnectionStrings__redis"), `${fullname}-redis:6379,password=$(REDIS_PASSWORD),abortConnect=false`);
    assert.equal(env.find((e) => e.name === "REDIS_PASSWORD").valueFrom.secretKeyRef.name, `${fullname}-redis`);
    const analysis = envOf(objects, "analysis");
    assert.equal(envValue(analysis, "ConnectionStrings__analysis-model"), `Endpoint=http://${fullname}-ollama:11434;Model=llama3.2:1b`);
    assert.equal(envValue(analysis, "ConnectionStrings__reasoning-model"), `Endpoint=http://${fullname}-ollama:11434;Model=llama3.2:3b`);
    assert.equal(envValue(analysis, "ConnectionStrings__milvus"), undefined);
    assert.equal(envValue(envOf(objects, "web"), "ConnectionStrings__redis"), undefined, "web needs no Redis");
    assert.ok(!JSON.stringify(objects).includes("redis-ca"), "no CA mount without caSecret");
  });
  it("prod: external Redis cluster over TLS with the password from its Secret, Milvus from its Secret", () => {
    const objects = render("prod");
    for (const name of ["api", "socketserver", "analysis"]) {
      assert.equal(
        envValue(envOf(objects, name), "ConnectionStrings__redis"),
        "redis-0.redis.data.svc:6379,redis-1.redis.data.svc:6379,redis-2.redis.data.svc:6379,ssl=true,sslHost=redis.data.svc,sslCaFile=/etc/chatroom/redis-ca/ca.crt,user=chatroom,password=$(REDIS_PASSWORD),abortConnect=false",
      );
      const pod = named(objects, "Deployment", `${fullname}-${name}`).spec.template.spec;
      const mount = pod.containers[0].volumeMounts.find((m) => m.mountPath === "/etc/chatroom/redis-ca");
      assert.equal(pod.volumes.find((v) => v.name === mount.name).secret.secretName, "redis-ca");
      assert.deepEqual(envOf(objects, name).find((e) => e.name === "REDIS_PASSWORD").valueFrom.secretKeyRef, { name: "chatroom-redis", key: "password" });
    }
    assert.ok(!named(objects, "StatefulSet", `${fullname}-redis`), "no bundled Redis in prod");
    const analysis = envOf(objects, "analysis");
    assert.equal(envValue(analysis, "ConnectionStrings__milvus"), "Endpoint=$(MILVUS_ENDPOINT);Key=$(MILVUS_KEY);Database=chatroom");
    assert.deepEqual(analysis.find((e) => e.name === "MILVUS_KEY").valueFrom.secretKeyRef, { name: "chatroom-milvus", key: "key" });
    assert.equal(envValue(analysis, "ConnectionStrings__embedding-model"), `Endpoint=http://${fullname}-ollama:11434;Model=nomic-embed-text`);
  });
  it("external-models: an OpenAI-compatible endpoint with the key from its Secret", () => {
    const analysis = envOf(render("external-models"), "analysis");
    assert.equal(envValue(analysis, "ConnectionStrings__analysis-model"), "Endpoint=https://api.openai.com/v1;Model=gpt-4o-mini;Provider=openai;Key=$(MODEL_API_KEY)");
    assert.equal(envValue(analysis, "ConnectionStrings__reasoning-model"), "Endpoint=https://api.openai.com/v1;Model=gpt-4o;Provider=openai;Key=$(MODEL_API_KEY)");
    assert.deepEqual(analysis.find((e) => e.name === "MODEL_API_KEY").valueFrom.secretKeyRef, { name: "chatroom-models", key: "api-key" });
  });
  it("only the API gets the admin password", () => {
    const objects = render("dev");
    for (const name of services) {
      const has = envOf(objects, name).some((e) => e.name === "Chatroom__Admin__Password");
      assert.equal(has, name === "api", name);
    }
  });
});

describe("secrets", () => {
  it("generates a signing key of at least 32 random bytes (base64) and an admin password when none is given", () => {
    const secret = named(render("dev"), "Secret", `${fullname}-auth`);
    const key = decode(secret.data["signing-key"]);
    assert.ok(Buffer.from(key, "base64").length >= 32, "signing key too short");
    assert.match(key, /^[A-Za-z0-9+/]+=*$/);
    assert.ok(decode(secret.data["admin-password"]).length >= 20);
  });
  it("renders no auth Secret when an existing one is named, and reads from it", () => {
    const objects = render("prod");
    assert.ok(!named(objects, "Secret", `${fullname}-auth`));
    assert.equal(ofKind(objects, "Secret").length, 0, "prod brings all its Secrets");
    for (const name of services) {
      assert.equal(envOf(objects, name).find((e) => e.name === "Chatroom__Auth__SigningKey").valueFrom.secretKeyRef.name, "chatroom-auth");
    }
  });
});

describe("Ingress", () => {
  const pathsOf = (objects) => ofKind(objects, "Ingress").flatMap((i) => i.spec.rules[0].http.paths);
  const routesOf = (objects) => Object.fromEntries(pathsOf(objects).map((p) => [p.path, p.backend.service.name.replace(`${fullname}-`, "")]));
  it("routes /hubs to the socket servers, the analysis routes to analysis, /api, /mcp and /hooks to the API and the rest to web", () => {
    assert.deepEqual(routesOf(render("prod")), {
      "/api/analysis": "analysis",
      "/api/knowledge": "analysis",
      "/api/discussions": "analysis",
      "/api": "api",
      "/mcp": "api",
      "/hooks": "api",
      "/.well-known/oauth-protected-resource": "api",
      "/": "web",
      "/hubs": "socketserver",
    });
  });
  it("sends every path to an existing Service's http port, by prefix", () => {
    const objects = render("prod");
    for (const path of pathsOf(objects)) {
      assert.equal(path.pathType, "Prefix");
      const service = named(objects, "Service", path.backend.service.name);
      assert.ok(service.spec.ports.some((p) => p.name === path.backend.service.port.name));
    }
  });
  it("terminates TLS for the host and keeps WebSockets open (prod)", () => {
    const ingresses = ofKind(render("prod"), "Ingress");
    assert.equal(ingresses.length, 2);
    for (const ingress of ingresses) {
      assert.deepEqual(ingress.spec.tls, [{ hosts: ["chat.example.com"], secretName: "chat-example-com-tls" }]);
      assert.equal(ingress.spec.ingressClassName, "nginx");
      assert.equal(ingress.metadata.annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"], "3600");
      assert.equal(ingress.metadata.annotations["nginx.ingress.kubernetes.io/proxy-buffering"], "off");
      assert.equal(ingress.metadata.annotations["cert-manager.io/cluster-issuer"], "letsencrypt");
    }
  });
  it("keeps a hub connection's negotiate and WebSocket on one socket server, and only there", () => {
    const objects = render("prod");
    const hubs = named(objects, "Ingress", `${fullname}-hubs`);
    assert.equal(hubs.metadata.annotations["nginx.ingress.kubernetes.io/affinity"], "cookie");
    assert.equal(hubs.metadata.annotations["nginx.ingress.kubernetes.io/session-cookie-path"], "/hubs");
    assert.equal(named(objects, "Ingress", fullname).metadata.annotations["nginx.ingress.kubernetes.io/affinity"], undefined);
  });
  it("lets the per-address connection limit count clients, not controller pods", () => {
    const config = (objects) => named(objects, "ConfigMap", `${fullname}-config`).data;
    const lifted = config(render("prod"));
    assert.equal(lifted.Chatroom__Sockets__MaxConnectionsPerAddress, "10000000");
    assert.equal(lifted.Chatroom__ForwardedHeaders__KnownNetworks__0, undefined);
    const trusted = config(render("prod", ["ingress.trustedProxyNetworks={10.244.0.0/16,fd00::/64}"]));
    assert.equal(trusted.Chatroom__ForwardedHeaders__KnownNetworks__0, "10.244.0.0/16");
    assert.equal(trusted.Chatroom__ForwardedHeaders__KnownNetworks__1, "fd00::/64");
    assert.equal(trusted.Chatroom__Sockets__MaxConnectionsPerAddress, undefined);
    assert.equal(config(render("dev", ["ingress.enabled=false"])).Chatroom__Sockets__MaxConnectionsPerAddress, undefined);
  });
  it("has no TLS section when TLS is off (dev)", () => {
    for (const ingress of ofKind(render("dev"), "Ingress")) assert.equal(ingress.spec.tls, undefined);
  });
});

describe("autoscaling", () => {
  it("scales socketserver and analysis by default", () => {
    const hpas = ofKind(render(null), "HorizontalPodAutoscaler").map((h) => h.spec.scaleTargetRef.name);
    assert.deepEqual(hpas.sort(), [`${fullname}-analysis`, `${fullname}-socketserver`]);
  });
  it("scales all four in prod, within the configured bounds", () => {
    const objects = render("prod");
    const ss = named(objects, "HorizontalPodAutoscaler", `${fullname}-socketserver`);
    assert.equal(ss.spec.minReplicas, 3);
    assert.equal(ss.spec.maxReplicas, 30);
    assert.equal(ofKind(objects, "HorizontalPodAutoscaler").length, 4);
  });
  it("sets fixed replicas and no HPA when autoscaling is off (dev)", () => {
    const objects = render("dev");
    assert.equal(ofKind(objects, "HorizontalPodAutoscaler").length, 0);
    assert.equal(named(objects, "Deployment", `${fullname}-socketserver`).spec.replicas, 1);
  });
});

describe("monitoring", () => {
  it("scrapes /metrics on the four services' http port and copies the labels the alerts select on", () => {
    const objects = render("prod");
    const monitor = ofKind(objects, "ServiceMonitor")[0];
    assert.deepEqual(monitor.spec.endpoints.map((e) => [e.port, e.path]), [["http", "/metrics"]]);
    assert.deepEqual(monitor.spec.targetLabels, ["app.kubernetes.io/part-of", "app.kubernetes.io/component"]);
    assert.equal(monitor.metadata.labels.release, "kube-prometheus-stack");
    const selected = ofKind(objects, "Service").filter((s) =>
      Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels[k] === v),
    );
    assert.deepEqual(selected.map((s) => component(s.metadata.labels)).sort(), [...services].sort());
    for (const s of selected) assert.equal(s.metadata.labels["app.kubernetes.io/part-of"], "chatroom");
  });
  it("renders no ServiceMonitor or PrometheusRule unless asked (the CRDs may be missing)", () => {
    const objects = render("dev");
    assert.equal(ofKind(objects, "ServiceMonitor").length + ofKind(objects, "PrometheusRule").length, 0);
  });
});
