// What an SRE running the chart relies on (issue 24), checked on rendered objects: releases that never wait on a
// model download, GitOps-safe secrets, Ollama and Redis options, images, rollouts, scheduling, routes, helm test.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chartDir, fullname, helm, named, namespace, ofKind, podTemplates, release, render, run, valueSets } from "./lib/chart.js";

const services = ["api", "socketserver", "analysis", "web"];
const containersOf = (template) => [...(template.spec.initContainers ?? []), ...template.spec.containers];
const ollamaPod = (objects) => named(objects, "StatefulSet", `${fullname}-ollama`).spec.template.spec;
const deploymentPod = (objects, name) => named(objects, "Deployment", `${fullname}-${name}`).spec.template;
const refused = (sets, pattern) => {
  const args = ["template", release, chartDir, "--namespace", namespace];
  for (const set of sets) args.push("--set", set);
  assert.throws(() => run(helm, args), (error) => pattern.test(String(error.stderr)), `rendered with ${sets.join(" ")}`);
};
const notes = (set, sets = []) => {
  const args = ["install", release, chartDir, "--namespace", namespace, "--dry-run=client", "--values", valueSets[set]];
  for (const s of sets) args.push("--set", s);
  return run(helm, args).split("NOTES:")[1];
};

describe("releases never wait on or fail with a model download", () => {
  for (const set of Object.keys(valueSets)) {
    it(`ci/${set}-values.yaml has no release hook but the helm test Pod (and the accounts migration)`, () => {
      // The accounts migration is a hook on purpose (postgresql.mode existing, postgresql.test.js): it needs no download.
      const hooks = render(set).filter((o) => o.metadata.annotations?.["helm.sh/hook"] && component(o.metadata.labels) !== "accounts-migration");
      assert.deepEqual(hooks.map((o) => [o.kind, o.metadata.annotations["helm.sh/hook"]]), [["Pod", "test"]]);
    });
  }
  it("an Ollama pod is ready only with its models, unless waitForModels is off", () => {
    const gated = ollamaPod(render("dev")).containers.find((c) => c.name === "model-pull");
    assert.ok(gated.readinessProbe);
    const ungated = ollamaPod(render("dev", ["ollama.pull.waitForModels=false"])).containers.find((c) => c.name === "model-pull");
    assert.equal(ungated.readinessProbe, undefined);
  });
  it("no sidecar when pulls are off (air-gapped: the models are put on the volume)", () => {
    assert.deepEqual(ollamaPod(render("dev", ["ollama.pull.enabled=false"])).containers.map((c) => c.name), ["ollama"]);
  });
});

describe("dashboards and the GPU runtime", () => {
  it("put the dashboards in the release namespace by default, so no other namespace has to exist", () => {
    for (const m of ofKind(render(null), "ConfigMap").filter((c) => c.metadata.name.includes("-dashboard-"))) {
      assert.equal(m.metadata.namespace, namespace);
    }
  });
  it("leave the RuntimeClass out by default (the GPU operator's default runtime) and set it when named", () => {
    assert.equal(ollamaPod(render(null)).runtimeClassName, undefined);
    assert.equal(ollamaPod(render("prod")).runtimeClassName, "nvidia");
  });
  it("say in NOTES.txt what GPU values need: the device plugin, the RuntimeClass, the node label", () => {
    const text = notes("prod");
    assert.match(text, /1 nvidia\.com\/gpu/);
    assert.match(text, /RuntimeClass "nvidia"/);
    assert.match(text, /nvidia\.com\/gpu\.present=true/);
    assert.match(notes("prod", ["ollama.gpu.runtimeClassName="]), /default container runtime/);
    assert.doesNotMatch(notes("dev"), /GPU:/, "nothing about GPUs on CPU");
  });
});

describe("secrets", () => {
  it("refuse to render without every Secret when generation is off (GitOps), naming what is missing", () => {
    refused(["secrets.generate=false"], /auth\.existingSecret/);
    refused(["secrets.generate=false", "auth.existingSecret=auth"], /redis\.bundled\.existingSecret/);
  });
  it("with generation off and every Secret given, render no Secret and read the given ones", () => {
    const objects = render(null, ["secrets.generate=false", "auth.existingSecret=auth", "redis.bundled.existingSecret=redis", "redis.bundled.passwordKey=pw"]);
    assert.equal(ofKind(objects, "Secret").length, 0);
    const redis = named(objects, "StatefulSet", `${fullname}-redis`).spec.template.spec.containers[0];
    assert.deepEqual(redis.env.find((e) => e.name === "REDIS_PASSWORD").valueFrom.secretKeyRef, { name: "redis", key: "pw" });
    const api = deploymentPod(objects, "api").spec.containers[0];
    assert.deepEqual(api.env.find((e) => e.name === "REDIS_PASSWORD").valueFrom.secretKeyRef, { name: "redis", key: "pw" });
    assert.equal(api.env.find((e) => e.name === "Chatroom__Auth__SigningKey").valueFrom.secretKeyRef.name, "auth");
  });
  it("give every service the previous signing key, optional, from the auth Secret", () => {
    for (const name of services) {
      const env = deploymentPod(render("prod"), name).spec.containers[0].env;
      const previous = env.find((e) => e.name === "Chatroom__Auth__PreviousSigningKeys__0");
      assert.deepEqual(previous.valueFrom.secretKeyRef, { name: "chatroom-auth", key: "previous-signing-key", optional: true }, name);
    }
  });
  it("restart the pods when the chart's configuration changes, and only then", () => {
    const checksum = (sets) => deploymentPod(render("prod", sets), "api").metadata.annotations["checksum/config"];
    assert.equal(checksum([]), checksum([]));
    assert.notEqual(checksum([]), checksum(["config.Chatroom__Chat__MaxMessageLength=2000"]));
    for (const name of services) assert.ok(deploymentPod(render("prod"), name).metadata.annotations["checksum/secrets"], name);
    assert.ok(named(render("dev"), "StatefulSet", `${fullname}-redis`).spec.template.metadata.annotations["checksum/secrets"]);
  });
});

describe("Ollama", () => {
  const prod = () => ollamaPod(render("prod"));
  it("takes a priority class, affinity, pod annotations, extra env and a long grace period for streaming", () => {
    const pod = ollamaPod(render("prod", ["ollama.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight=100",
      "ollama.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey=kubernetes.io/hostname"]));
    assert.equal(pod.priorityClassName, "chatroom-gpu");
    assert.equal(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight, 100);
    assert.ok(pod.terminationGracePeriodSeconds >= 300);
    // Ollama closes connections at once on SIGTERM: streams finish during the preStop sleep, before it.
    assert.ok(pod.containers[0].lifecycle.preStop.sleep.seconds >= 60);
    assert.ok(pod.containers[0].lifecycle.preStop.sleep.seconds < pod.terminationGracePeriodSeconds);
    const env = Object.fromEntries(pod.containers[0].env.map((e) => [e.name, e.value]));
    assert.equal(env.OLLAMA_MAX_LOADED_MODELS, "3");
    assert.equal(env.OLLAMA_CONTEXT_LENGTH, "8192");
    assert.equal(env.OLLAMA_FLASH_ATTENTION, "1");
    assert.equal(named(render("prod"), "StatefulSet", `${fullname}-ollama`).spec.template.metadata.annotations["prometheus.io/scrape"], "false");
    assert.deepEqual(prod().containers[0].resources.limits["nvidia.com/gpu"], "1");
  });
  it("asks for a MIG profile instead of a whole GPU", () => {
    const limits = ollamaPod(render("prod", ["ollama.gpu.resources.nvidia\\.com/mig-1g\\.10gb=2"])).containers[0].resources.limits;
    assert.equal(limits["nvidia.com/mig-1g.10gb"], "2");
    assert.equal(limits["nvidia.com/gpu"], undefined);
  });
  it("runs the ROCm image with amd.com/gpu for AMD GPUs", () => {
    const pod = ollamaPod(render("prod", ["ollama.gpu.type=amd"]));
    assert.equal(pod.containers[0].image, "docker.io/ollama/ollama:0.32.15-rocm");
    assert.equal(pod.containers[0].resources.limits["amd.com/gpu"], "1");
    assert.ok(!JSON.stringify(pod.containers[0].resources).includes("nvidia"));
  });
  it("shares one existing ReadWriteMany claim between replicas, where only replica 0 downloads", () => {
    const set = named(render("prod", ["ollama.persistence.existingClaim=ollama-models"]), "StatefulSet", `${fullname}-ollama`);
    assert.equal(set.spec.volumeClaimTemplates, undefined);
    assert.equal(set.spec.template.spec.volumes.find((v) => v.name === "models").persistentVolumeClaim.claimName, "ollama-models");
    const pull = set.spec.template.spec.containers.find((c) => c.name === "model-pull");
    assert.equal(pull.env.find((e) => e.name === "SHARED_VOLUME").value, "true");
    assert.match(pull.args[0], /\$\{HOSTNAME##\*-\}" != 0/);
    const own = named(render("prod", ["ollama.persistence.accessModes={ReadWriteOncePod}"]), "StatefulSet", `${fullname}-ollama`);
    assert.deepEqual(own.spec.volumeClaimTemplates[0].spec.accessModes, ["ReadWriteOncePod"]);
  });
});

describe("images", () => {
  it("pull by digest when one is given, on every image", () => {
    const digest = `sha256:${"b".repeat(64)}`;
    const objects = render("dev", [`api.image.digest=${digest}`, `ollama.image.digest=${digest}`, `redis.bundled.image.digest=${digest}`, `tests.image.digest=${digest}`]);
    assert.equal(deploymentPod(objects, "api").spec.containers[0].image, `chatroom-api@${digest}`);
    assert.equal(ollamaPod(objects).containers[0].image, `docker.io/ollama/ollama@${digest}`);
    assert.equal(named(objects, "StatefulSet", `${fullname}-redis`).spec.template.spec.containers[0].image, `docker.io/library/redis@${digest}`);
    assert.equal(named(objects, "Pod", `${fullname}-test`).spec.containers[0].image, `docker.io/curlimages/curl@${digest}`);
    refused(["api.image.digest=latest"], /digest/);
  });
  it("come from global.imageRegistry, every one of them (air-gapped mirror)", () => {
    const objects = render("dev", ["global.imageRegistry=mirror.example.com", "redis.bundled.metrics.enabled=true"]);
    const images = podTemplates(objects).flatMap(({ template }) => containersOf(template).map((c) => c.image));
    assert.ok(images.length >= 9, images.join(" "));
    for (const image of images) assert.ok(image.startsWith("mirror.example.com/"), image);
  });
});

describe("bundled Redis", () => {
  const redis = (sets = []) => named(render("dev", sets), "StatefulSet", `${fullname}-redis`).spec.template.spec;
  it("refuses writes at maxmemory under its memory limit instead of being OOM-killed", () => {
    const args = redis().containers[0].args;
    assert.equal(args[args.indexOf("--maxmemory") + 1], "768mb");
    assert.equal(args[args.indexOf("--maxmemory-policy") + 1], "noeviction");
    const bytes = { mb: 2 ** 20, gb: 2 ** 30 };
    const [, n, unit] = /^(\d+)(mb|gb)$/.exec("768mb");
    assert.ok(Number(n) * bytes[unit] < 1 * 2 ** 30, "below the 1Gi limit");
  });
  it("has a startup probe long enough for loading its append-only file", () => {
    const probe = redis().containers[0].startupProbe;
    assert.ok(probe.periodSeconds * probe.failureThreshold >= 300);
  });
  it("runs redis_exporter beside it when asked, scraped through its own Service", () => {
    assert.deepEqual(redis().containers.map((c) => c.name), ["redis"]);
    const objects = render("dev", ["redis.bundled.metrics.enabled=true", "serviceMonitor.enabled=true"]);
    const exporter = named(objects, "StatefulSet", `${fullname}-redis`).spec.template.spec.containers.find((c) => c.name === "metrics");
    assert.equal(exporter.ports[0].containerPort, 9121);
    assert.equal(exporter.env.find((e) => e.name === "REDIS_PASSWORD").valueFrom.secretKeyRef.name, `${fullname}-redis`);
    const service = named(objects, "Service", `${fullname}-redis-metrics`);
    assert.equal(service.metadata.labels["chatroom.io/metrics"], "true");
    const monitor = ofKind(objects, "ServiceMonitor")[0];
    assert.deepEqual(monitor.spec.endpoints.map((e) => e.port), ["http", "metrics"]);
  });
});

describe("monitoring", () => {
  it("passes relabelings and metricRelabelings to every ServiceMonitor endpoint", () => {
    const [monitor] = ofKind(render("prod"), "ServiceMonitor");
    for (const endpoint of monitor.spec.endpoints) {
      assert.deepEqual(endpoint.relabelings, [{ sourceLabels: ["__meta_kubernetes_pod_node_name"], targetLabel: "node" }]);
      assert.equal(endpoint.metricRelabelings[0].action, "drop");
    }
  });
});

describe("rollouts and scheduling", () => {
  it("keep socket servers and web serving through endpoint removal, and wait before counting a new pod", () => {
    const objects = render("prod");
    for (const name of ["socketserver", "web"]) {
      const deployment = named(objects, "Deployment", `${fullname}-${name}`);
      const pod = deployment.spec.template.spec;
      assert.ok(pod.containers[0].lifecycle.preStop.sleep.seconds >= 5, name);
      assert.ok(pod.containers[0].lifecycle.preStop.sleep.seconds < pod.terminationGracePeriodSeconds, name);
      assert.ok(deployment.spec.minReadySeconds >= 5, name);
    }
    refused(["web.preStopSleepSeconds=40", "web.terminationGracePeriodSeconds=30"], /preStopSleepSeconds must be below/);
  });
  it("apply global node selector, tolerations and priority class to every pod, a component's own winning", () => {
    const objects = render("dev", ["global.nodeSelector.pool=chat", "global.tolerations[0].key=dedicated", "global.tolerations[0].operator=Exists",
      "global.priorityClassName=chatroom", "api.priorityClassName=chatroom-api", "api.nodeSelector.pool=api"]);
    for (const { workload, template } of podTemplates(objects)) {
      const pod = template.spec;
      const own = workload.metadata.name === `${fullname}-api`;
      assert.equal(pod.nodeSelector.pool, own ? "api" : "chat", workload.metadata.name);
      assert.ok(pod.tolerations.some((t) => t.key === "dedicated"), workload.metadata.name);
      assert.equal(pod.priorityClassName, own ? "chatroom-api" : "chatroom", workload.metadata.name);
    }
  });
});

describe("routes", () => {
  const gateway = ["ingress.enabled=false", "gateway.enabled=true", "gateway.parentRefs[0].name=public", "gateway.parentRefs[0].namespace=gateway"];
  it("HTTPRoutes send the same prefixes to the same Services as the Ingress", () => {
    const ingressRoutes = ofKind(render("prod"), "Ingress").flatMap((i) => i.spec.rules[0].http.paths.map((p) => [p.path, p.backend.service.name]));
    const routes = ofKind(render("prod", gateway), "HTTPRoute");
    assert.equal(routes.length, 2);
    const httpRoutes = routes.flatMap((r) => r.spec.rules.map((rule) => [rule.matches[0].path.value, rule.backendRefs[0].name]));
    assert.deepEqual(httpRoutes.sort(), ingressRoutes.sort());
    for (const route of routes) {
      assert.deepEqual(route.spec.parentRefs, [{ name: "public", namespace: "gateway" }]);
      assert.deepEqual(route.spec.hostnames, ["chat.example.com"]);
      for (const rule of route.spec.rules) {
        assert.equal(rule.matches[0].path.type, "PathPrefix");
        assert.equal(rule.backendRefs[0].port, 80);
      }
    }
    assert.equal(ofKind(render("prod", gateway), "Ingress").length, 0);
  });
  it("keep a hub connection on one socket server with session persistence, on /hubs only", () => {
    const routes = ofKind(render("prod", [...gateway, "gateway.hubsSessionPersistence=true"]), "HTTPRoute");
    const hubs = routes.find((r) => r.metadata.name.endsWith("-hubs")).spec.rules[0];
    assert.equal(hubs.sessionPersistence.type, "Cookie");
    assert.ok(routes.find((r) => r.metadata.name === fullname).spec.rules.every((rule) => !rule.sessionPersistence));
  });
  it("refuse a Gateway without a parent", () => refused(["gateway.enabled=true"], /parentRefs/));
  it("write no ingress-nginx annotations for another controller, and its own on /hubs", () => {
    const ingresses = ofKind(render("prod", ["ingress.controller=other", "ingress.className=traefik", "ingress.hubsAnnotations.example\\.com/sticky=cookie"]), "Ingress");
    for (const ingress of ingresses) {
      assert.ok(!Object.keys(ingress.metadata.annotations ?? {}).some((k) => k.startsWith("nginx.ingress.kubernetes.io/")), ingress.metadata.name);
      assert.equal(ingress.spec.ingressClassName, "traefik");
    }
    assert.equal(named(ingresses, "Ingress", `${fullname}-hubs`).metadata.annotations["example.com/sticky"], "cookie");
    assert.equal(named(ingresses, "Ingress", fullname).metadata.annotations["example.com/sticky"], undefined);
  });
});

describe("helm test", () => {
  const objects = render("prod");
  const pod = named(objects, "Pod", `${fullname}-test`);
  const script = pod.spec.containers[0].args[0];
  it("is a test hook Pod that never restarts", () => {
    assert.equal(pod.metadata.annotations["helm.sh/hook"], "test");
    assert.equal(pod.spec.restartPolicy, "Never");
  });
  it("checks /health of the four Services, which exist", () => {
    assert.match(script, /for service in api socketserver analysis web/);
    assert.match(script, /"http:\/\/\$RELEASE-\$service\/health"/);
    assert.equal(pod.spec.containers[0].env.find((e) => e.name === "RELEASE").value, fullname);
    for (const name of services) assert.equal(named(objects, "Service", `${fullname}-${name}`).spec.ports[0].port, 80);
  });
  it("signs a guest in, sends a message over the hub on one socket server pod and reads it back from the history", () => {
    assert.match(script, /\/api\/auth\/guest/);
    assert.match(script, /negotiate\?negotiateVersion=1/);
    assert.match(script, /"target\\":\\"JoinRoom\\"/);
    assert.match(script, /"target\\":\\"SendMessage\\"/);
    assert.match(script, /receive "\$text"/);
    assert.match(script, /\/api\/rooms\/\$ROOM\/messages/);
    const headless = named(objects, "Service", `${fullname}-socketserver-pods`);
    assert.equal(headless.spec.clusterIP, "None");
    assert.deepEqual(headless.spec.selector, named(objects, "Deployment", `${fullname}-socketserver`).spec.selector.matchLabels);
    assert.equal(headless.spec.ports[0].port, 8080);
  });
  it("renders nothing of the kind when off", () => {
    const off = render("prod", ["tests.enabled=false"]);
    assert.ok(!off.some((o) => component(o.metadata.labels) === "tests" || o.metadata.name.endsWith("-socketserver-pods")));
  });
});

const component = (labels) => labels?.["app.kubernetes.io/component"];
