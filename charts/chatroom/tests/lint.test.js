import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { chartDir, helm, namespace, ofKind, parseManifests, release, repoDir, run, valueSets } from "./lib/chart.js";

describe("helm lint --strict", () => {
  it("passes with the chart's defaults", () => {
    run(helm, ["lint", "--strict", chartDir]);
  });
  for (const [name, file] of Object.entries(valueSets)) {
    it(`passes with ci/${name}-values.yaml`, () => {
      const out = run(helm, ["lint", "--strict", chartDir, "--values", file]);
      assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    });
  }
});

describe("values.schema.json", () => {
  const refused = (sets, pattern) => {
    const args = ["template", release, chartDir];
    for (const set of sets) args.push("--set", set);
    assert.throws(() => run(helm, args), (error) => pattern.test(String(error.stderr)));
  };
  it("refuses a value the chart does not have", () => refused(["replica=3"], /additional properties 'replica' not allowed/));
  it("refuses a secret put in plain configuration", () =>
    refused(["config.Chatroom__Admin__Password=hunter2"], /invalid propertyName 'Chatroom__Admin__Password'/));
  it("refuses a secret put in a service's environment", () =>
    refused(["api.env.ConnectionStrings__redis=redis:6379"], /invalid propertyName 'ConnectionStrings__redis'/));
  it("refuses an external Redis without endpoints", () => refused(["redis.mode=external"], /endpoints/));
  it("refuses external models without an endpoint", () => refused(["models.source=external"], /endpoint/));
  it("refuses Milvus without its Secret", () => refused(["milvus.enabled=true"], /existingSecret/));
  it("refuses a wrong type", () => refused(["socketserver.autoscaling.maxReplicas=many"], /maxReplicas/));
  it("accepts a non-secret setting", () => {
    run(helm, ["template", release, chartDir, "--set", "config.Chatroom__Auth__TokenLifetime=1.00:00:00"]);
  });
});

describe("the runbook's values for a GPU cluster (docs/operations.md)", () => {
  const dir = mkdtempSync(join(tmpdir(), "chatroom-runbook-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const runbook = readFileSync(join(repoDir, "docs/operations.md"), "utf8");
  const block = /<!-- values: gpu-cluster -->\n```yaml\n([\s\S]*?)\n```/.exec(runbook);
  const file = join(dir, "values.yaml");

  it("is on the page", () => {
    assert.ok(block, "no ```yaml block after <!-- values: gpu-cluster -->");
    writeFileSync(file, block[1]);
  });
  it("lints and renders GPU Ollama, the external Redis, Milvus, TLS and autoscaling", () => {
    run(helm, ["lint", "--strict", chartDir, "--values", file]);
    const objects = parseManifests(run(helm, ["template", release, chartDir, "--namespace", namespace, "--values", file]));
    const ollama = objects.find((o) => o.kind === "StatefulSet" && o.metadata.name.endsWith("-ollama"));
    assert.equal(ollama.spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"], "1");
    assert.equal(ollama.spec.replicas, 2);
    assert.ok(!objects.some((o) => o.kind === "StatefulSet" && o.metadata.name.endsWith("-redis")));
    assert.ok(ofKind(objects, "Ingress").every((i) => i.spec.tls?.[0]?.secretName === "chat-example-com-tls"));
    assert.equal(ofKind(objects, "HorizontalPodAutoscaler").length, 2);
    assert.equal(ofKind(objects, "PrometheusRule").length, 1);
  });
});
