// `helm show readme` documents every value: the README's values table is generated from values.yaml and
// values.schema.json (npm run readme), and must be current and complete.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isMap, parseDocument } from "yaml";
import { chartDir, helm, run } from "./lib/chart.js";
import { valueRows, withTable } from "./lib/values-table.js";

const readme = readFileSync(join(chartDir, "README.md"), "utf8");

/** Every key path of values.yaml, down to the leaves. */
function keyPaths(node, prefix = "") {
  if (!isMap(node)) return [];
  return node.items.flatMap((pair) => {
    const path = prefix ? `${prefix}.${pair.key.value}` : String(pair.key.value);
    return [path, ...keyPaths(pair.value, path)];
  });
}

describe("the chart README", () => {
  it("holds the values table as values.yaml and the schema make it today (run npm run readme)", () => {
    assert.equal(readme, withTable(readme));
  });
  it("documents every key of values.yaml with a description, or the map holding it", () => {
    const rows = valueRows();
    const documented = new Map(rows.map((r) => [r.key, r]));
    for (const path of keyPaths(parseDocument(readFileSync(join(chartDir, "values.yaml"), "utf8")).contents)) {
      // A key has its own row, or sits inside a value documented as a whole (a free-form map such as resources).
      const row = documented.get(path) ?? rows.find((r) => !r.section && path.startsWith(`${r.key}.`));
      assert.ok(row, `${path} is not in README.md`);
      assert.ok(readme.includes(`| \`${row.key}\` |`), `${row.key} is not a row of README.md`);
    }
    for (const r of rows) assert.ok(r.description, `${r.key} has no description`);
  });
  it("is what helm show readme prints", () => {
    assert.equal(run(helm, ["show", "readme", chartDir]).trim(), readme.trim());
  });
  it("and Chart.yaml point at no address the project does not have (it has no public one yet)", () => {
    const chart = run(helm, ["show", "chart", chartDir]);
    assert.doesNotMatch(chart, /^(home|icon):/m);
    assert.doesNotMatch(chart, /^sources:/m);
    assert.doesNotMatch(chart + readme, /github\.com\/chatroom\/chatroom/);
  });
});
