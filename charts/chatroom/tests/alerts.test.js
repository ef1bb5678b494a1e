// The alert rules: promtool checks them and runs their unit tests (alerts.test.yaml); the PrometheusRule the
// chart renders carries exactly files/alerts.yaml; every alert has its runbook entry and uses metrics that exist.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { chartDir, ofKind, render, repoDir, run } from "./lib/chart.js";

const promtool = process.env.PROMTOOL ?? "promtool";
const rulesFile = join(chartDir, "files/alerts.yaml");
const rules = parse(readFileSync(rulesFile, "utf8"));
const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);

describe("alert rules", () => {
  const dir = mkdtempSync(join(tmpdir(), "chatroom-rules-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("pass promtool check rules", () => {
    assert.match(run(promtool, ["check", "rules", rulesFile]), /SUCCESS: \d+ rules found/);
  });

  it("pass their promtool unit tests", () => {
    assert.match(run(promtool, ["test", "rules", join(chartDir, "tests/alerts.test.yaml")]), /SUCCESS/);
  });

  it("are what the rendered PrometheusRule carries, and that passes promtool too", () => {
    const [rule] = ofKind(render("prod"), "PrometheusRule");
    assert.deepEqual(rule.spec, rules);
    const extracted = join(dir, "rendered.yaml");
    writeFileSync(extracted, stringify(rule.spec));
    assert.match(run(promtool, ["check", "rules", extracted]), /SUCCESS/);
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

  it("each have a severity, a summary and a runbook section in docs/operations.md", () => {
    const runbook = readFileSync(join(repoDir, "docs/operations.md"), "utf8");
    const anchors = new Set(
      [...runbook.matchAll(/^#+ (.+)$/gm)].map((m) => m[1].trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-")),
    );
    for (const a of alerts) {
      assert.match(a.labels.severity, /^(warning|critical)$/, a.alert);
      assert.ok(a.annotations.summary, a.alert);
      const [file, anchor] = a.annotations.runbook.split("#");
      assert.equal(file, "docs/operations.md");
      assert.ok(anchors.has(anchor), `${a.alert}: no section #${anchor} in docs/operations.md`);
    }
  });

  it("use only chatroom_* metrics the services define", () => {
    const sources = ["src/Chatroom.Core/Chat/ChatMetrics.cs", "src/Chatroom.Analysis/Llm/LlmMetrics.cs", "src/Chatroom.Analysis/Worker/AnalysisMetrics.cs"]
      .map((f) => readFileSync(join(repoDir, f), "utf8"))
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
