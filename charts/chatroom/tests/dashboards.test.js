// The chart carries every grafana/dashboards/*.json, whatever their names, through the symlink
// charts/chatroom/dashboards -> ../../grafana/dashboards (helm follows it in lint, template and package).
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { chartDir, helm, ofKind, render, repoDir, run } from "./lib/chart.js";

const dashboardsDir = join(repoDir, "grafana/dashboards");
const files = readdirSync(dashboardsDir).filter((f) => f.endsWith(".json")).sort();

describe("Grafana dashboards", () => {
  it("are read from grafana/dashboards through the chart's symlink", () => {
    assert.equal(realpathSync(join(chartDir, "dashboards")), realpathSync(dashboardsDir));
    assert.ok(files.length > 0, "grafana/dashboards has no dashboard");
  });

  for (const set of ["dev", "prod"]) {
    describe(`as ConfigMaps (ci/${set}-values.yaml)`, () => {
      const maps = ofKind(render(set), "ConfigMap").filter((c) => c.metadata.labels.grafana_dashboard === "1");
      it("one ConfigMap per dashboard file, labelled for the Grafana sidecar, in its folder", () => {
        assert.deepEqual(maps.flatMap((m) => Object.keys(m.data)).sort(), files);
        for (const m of maps) {
          assert.equal(m.metadata.annotations.grafana_folder, "Chatroom");
          assert.equal(Object.keys(m.data).length, 1);
        }
      });
      for (const file of files) {
        it(`carries ${file} unchanged`, () => {
          const text = readFileSync(join(dashboardsDir, file), "utf8");
          const carried = maps.find((m) => m.data[file] !== undefined)?.data[file];
          assert.equal(carried, text.replace(/\n$/, ""));
          assert.deepEqual(JSON.parse(carried), JSON.parse(text));
        });
      }
      // No other namespace has to exist (the kube-prometheus-stack sidecar searches every namespace).
      it("go to the release namespace", () => {
        for (const m of maps) assert.equal(m.metadata.namespace, "chat");
      });
    });
  }

  describe("in the packaged chart", () => {
    const dir = mkdtempSync(join(tmpdir(), "chatroom-chart-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    it("helm package copies every dashboard's content and leaves the tests out", () => {
      run(helm, ["package", chartDir, "--destination", dir]);
      const archive = readdirSync(dir).find((f) => f.endsWith(".tgz"));
      const listing = run("tar", ["tzf", join(dir, archive)]).split("\n");
      for (const file of files) assert.ok(listing.includes(`chatroom/dashboards/${file}`), file);
      assert.ok(!listing.some((f) => f.startsWith("chatroom/tests/")), "tests/ is packaged");
      const packed = run("tar", ["xzOf", join(dir, archive), `chatroom/dashboards/${files[0]}`]);
      assert.equal(packed, readFileSync(join(dashboardsDir, files[0]), "utf8"));
    });
  });
});
