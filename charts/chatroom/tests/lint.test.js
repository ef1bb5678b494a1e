import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chartDir, helm, release, run, valueSets } from "./lib/chart.js";

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
