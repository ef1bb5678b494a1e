// Writes the values table into charts/chatroom/README.md (npm run readme).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chartDir } from "./lib/chart.js";
import { withTable } from "./lib/values-table.js";

const file = join(chartDir, "README.md");
writeFileSync(file, withTable(readFileSync(file, "utf8")));
