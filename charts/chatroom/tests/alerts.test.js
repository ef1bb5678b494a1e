// The alert rules: promtool checks them and runs their unit tests (alerts.test.yaml); the PrometheusRule the
// chart renders carries exactly files/alerts.yaml; every alert has its runbook entry and uses metrics that exist.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { chartDir, fullname, helm, namespace, ofKind, release, render, repoDir, run } from "./lib/chart.js";

const promtool = process.env.PROMTOOL ?? "promtool";
const rulesFile = join(chartDir, "files/alerts.yaml");
const rules = parse(readFileSync(rulesFile, "utf8"));
const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);
// The file names each alert's runbook section by its path in the repository; the chart puts the served base in front.
const fileBase = "docs/operations.md";
const servedBase = "https://runbooks.example.com/chatroom/operations";
const enabled = ["prometheusRule.enabled=true", `prometheusRule.runbookBaseUrl=${servedBase}`];

describe("alert rules", () => {
  const dir = mkdtempSync(join(tmpdir(), "chatroom-rules-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("pass promtool check rules", () => {
    assert.match(run(promtool, ["check", "rules", rulesFile]), /SUCCESS: \d+ rules found/);
  });

  it("pass their promtool unit tests", () => {
    assert.match(run(promtool, ["test", "rules", join(chartDir, "tests/alerts.test.yaml")]), /SUCCESS/);
  });

  it("link to the runbook where the values say it is served, which the chart requires (it knows no public address)", () => {
    assert.equal(parse(readFileSync(join(chartDir, "values.yaml"), "utf8")).prometheusRule.runbookBaseUrl, "");
    assert.throws(() => run(helm, ["template", release, chartDir, "--set", "prometheusRule.enabled=true"]),
      (error) => /runbookBaseUrl/.test(String(error.stderr)));
    const [rule] = ofKind(render("prod"), "PrometheusRule");
    for (const r of rule.spec.groups.flatMap((g) => g.rules)) {
      assert.match(r.annotations.runbook_url, /^https:\/\/wiki\.example\.com\/chatroom\/runbook#chatroom[a-z]+$/, r.alert);
    }
  });

  it("are what the rendered PrometheusRule carries, narrowed to the release's namespace and workloads", () => {
    const [rule] = ofKind(render("dev", enabled), "PrometheusRule");
    // The file's "any namespace" and "any release" selectors, as the chart narrows them; the rest is the file.
    const narrowed = rules.groups
      .filter((g) => g.name !== "chatroom.gpu")
      .map((g) => ({
        ...g,
        rules: g.rules.map((r) => ({
          ...r,
          expr: r.expr.replaceAll('namespace=~".+"', `namespace="${namespace}"`).replaceAll('=~".+-(', `=~"${fullname}-(`),
          annotations: { ...r.annotations, runbook_url: r.annotations.runbook_url.replace(fileBase, servedBase) },
        })),
      }));
    assert.deepEqual(rule.spec, { groups: narrowed });
    const extracted = join(dir, "rendered.yaml");
    writeFileSync(extracted, stringify(rule.spec));
    assert.match(run(promtool, ["check", "rules", extracted]), /SUCCESS/);
  });

  it("rendered and tuned, pass their own promtool unit tests (alerts.rendered.test.yaml)", () => {
    const [rule] = ofKind(render("prod", ["prometheusRule.rules.ChatroomMessageStoreSlow.enabled=false"]), "PrometheusRule");
    const names = rule.spec.groups.flatMap((g) => g.rules.map((r) => r.alert));
    assert.ok(!names.includes("ChatroomMessageStoreSlow"), "a disabled alert is left out");
    assert.ok(names.includes("ChatroomGpuXidErrors"), "GPU alerts with Ollama on NVIDIA GPUs");
    writeFileSync(join(dir, "rendered-rules.yaml"), stringify(rule.spec));
    writeFileSync(join(dir, "alerts.rendered.test.yaml"), readFileSync(join(chartDir, "tests/alerts.rendered.test.yaml")));
    assert.match(run(promtool, ["test", "rules", join(dir, "alerts.rendered.test.yaml")]), /SUCCESS/);
  });

  it("leave the GPU alerts out without NVIDIA GPUs, and apply severity, labels and expr overrides", () => {
    const groupsOf = (set, sets) => ofKind(render(set, sets), "PrometheusRule")[0].spec.groups;
    assert.ok(!groupsOf("dev", enabled).some((g) => g.name === "chatroom.gpu"), "dev runs Ollama on CPU");
    assert.ok(!groupsOf("external-models").some((g) => g.name === "chatroom.gpu"));
    assert.ok(!groupsOf("prod", ["ollama.gpu.type=amd"]).some((g) => g.name === "chatroom.gpu"));
    assert.ok(!groupsOf("prod", ["prometheusRule.gpu.enabled=false"]).some((g) => g.name === "chatroom.gpu"));
    const gpu = groupsOf("prod", ["prometheusRule.gpu.namespaceLabel=exported_namespace", "prometheusRule.gpu.podLabel=exported_pod"]).find((g) => g.name === "chatroom.gpu");
    assert.match(gpu.rules[0].expr, /exported_namespace="chat", exported_pod=~"prod-chatroom-ollama-\[0-9\]\+"/);
    const tuned = groupsOf("external-models", [
      "prometheusRule.rules.ChatroomLlmErrors.severity=critical",
      "prometheusRule.rules.ChatroomLlmErrors.labels.pager=night",
      "prometheusRule.rules.ChatroomLlmErrors.for=30m",
      "prometheusRule.rules.ChatroomTargetDown.expr=up{namespace=\"chat\"} == 0",
    ]).flatMap((g) => g.rules);
    const llm = tuned.find((r) => r.alert === "ChatroomLlmErrors");
    assert.deepEqual(llm.labels, { severity: "critical", pager: "night" });
    assert.equal(llm.for, "30m");
    assert.equal(tuned.find((r) => r.alert === "ChatroomTargetDown").expr, 'up{namespace="chat"} == 0');
  });

  it("cover what the issue asks: delivery latency, errors, analysis lag, unsafe share, LLM errors, pods not ready", () => {
    const names = alerts.map((a) => a.alert);
    for (const name of ["ChatroomDeliveryLatencyHigh", "ChatroomHttpErrorRateHigh", "ChatroomAnalysisLagHigh", "ChatroomUnsafeShareRising", "ChatroomLlmErrors", "ChatroomPodsNotReady"]) {
      assert.ok(names.includes(name), name);
    }
  });

  it("each have a unit test that expects it to fire", () => {
    const tests = parse(readFileSync(join(chartDir, "tests/alerts.test.yaml"), "utf8")).tests;
    const firing = new Set(tests.flatMap((t) => t.alert_rule_test).filter((t) => t.exp_alerts.length > 0).map((t) => t.alertname));
    for (const a of alerts) assert.ok(firing.has(a.alert), `${a.alert} is never tested firing`);
  });

  it("each have a severity, a summary and a runbook_url to their section of docs/operations.md", () => {
    const runbook = readFileSync(join(repoDir, "docs/operations.md"), "utf8");
    const anchors = new Set(
      [...runbook.matchAll(/^#+ (.+)$/gm)].map((m) => m[1].trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-")),
    );
    const base = fileBase;
    for (const a of alerts) {
      assert.match(a.labels.severity, /^(warning|critical)$/, a.alert);
      assert.ok(a.annotations.summary, a.alert);
      assert.equal(a.annotations.runbook, undefined, `${a.alert}: runbook_url, the annotation Alertmanager templates use`);
      const [url, anchor] = a.annotations.runbook_url.split("#");
      assert.equal(url, base, `${a.alert}: the chart swaps this path for prometheusRule.runbookBaseUrl`);
      assert.ok(anchors.has(anchor), `${a.alert}: no section #${anchor} in docs/operations.md`);
    }
  });

  it("use only chatroom_* metrics the services define", () => {
    // Wherever the services keep them (folders move; the instruments' names do not).
    const sources = readdirSync(join(repoDir, "src"), { recursive: true })
      .filter((f) => /(^|\/)(Chat|Llm|Analysis)Metrics\.cs$/.test(f) && !/\/(bin|obj)\//.test(f))
      .map((f) => readFileSync(join(repoDir, "src", f), "utf8"))
      .join("\n");
    const instruments = [...sources.matchAll(/Create\w+(?:<\w+>)?\("(chatroom\.[a-z.]+)"(?:, "([^"]*)")?/g)].map(([, name, unit]) =>
      name.replaceAll(".", "_") + (unit === "s" ? "_seconds" : ""),
    );
    assert.ok(instruments.length >= 10, "could not read the instruments");
    const used = new Set(alerts.flatMap((a) => [...a.expr.matchAll(/\bchatroom_[a-z_]+/g)].map((m) => m[0])));
    for (const metric of used) {
      const base = metric.replace(/_(bucket|count|sum|total)$/, "");
      assert.ok(instruments.includes(base), `${metric} is not a metric of the services`);
    }
  });
});
