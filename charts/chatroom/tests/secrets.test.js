// Generated secrets are made once and kept: on an upgrade the chart reads the live Secret back (lookup) instead
// of generating new values. helm template --dry-run=server runs the lookups against a fake API server.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { chartDir, fullname, helm, named, namespace, parseManifests, release, valueSets } from "./lib/chart.js";
import { startFakeApiServer } from "./lib/fake-apiserver.js";

const decode = (b64) => Buffer.from(b64, "base64").toString("utf8");

async function renderAgainst(secrets) {
  const api = await startFakeApiServer({ namespace, release, secrets });
  try {
    const { stdout } = await promisify(execFile)(
      helm,
      ["template", release, chartDir, "--namespace", namespace, "--values", valueSets.dev, "--dry-run=server", "--disable-openapi-validation"],
      { env: { ...process.env, KUBECONFIG: api.kubeconfig }, maxBuffer: 64 << 20 },
    );
    const objects = parseManifests(stdout);
    const data = (name) => Object.fromEntries(Object.entries(named(objects, "Secret", name).data).map(([k, v]) => [k, decode(v)]));
    const checksum = named(objects, "Deployment", `${fullname}-api`).spec.template.metadata.annotations["checksum/secrets"];
    return { auth: data(`${fullname}-auth`), redis: data(`${fullname}-redis`), postgresql: data(`${fullname}-postgresql`), requests: api.requests, checksum };
  } finally {
    await api.close();
  }
}

describe("generated secrets", () => {
  it("keep the values already in the cluster on an upgrade", async () => {
    const live = {
      [`${fullname}-auth`]: { "signing-key": "a2VwdC1zaWduaW5nLWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE=", "admin-password": "kept-admin-password" },
      [`${fullname}-redis`]: { "redis-password": "kept-redis-password" },
      [`${fullname}-postgresql`]: { "postgres-password": "keptPostgresPassword" },
    };
    const { auth, redis, postgresql, requests } = await renderAgainst(live);
    assert.deepEqual(auth, live[`${fullname}-auth`]);
    assert.deepEqual(redis, live[`${fullname}-redis`]);
    // The development PostgreSQL keeps the password it was initialised with: a new one would lock the API out.
    assert.deepEqual(postgresql, live[`${fullname}-postgresql`]);
    assert.ok(requests.includes(`GET /api/v1/namespaces/${namespace}/secrets/${fullname}-auth`), "the chart did not look the Secret up");
    assert.ok(requests.every((r) => r.startsWith("GET ")), "rendering changed something in the cluster");
  });

  it("are generated on the first install, differently each time", async () => {
    const first = await renderAgainst({});
    const second = await renderAgainst({});
    assert.notEqual(first.auth["signing-key"], second.auth["signing-key"]);
    assert.notEqual(first.auth["admin-password"], second.auth["admin-password"]);
    assert.notEqual(first.redis["redis-password"], second.redis["redis-password"]);
    assert.notEqual(first.postgresql["postgres-password"], second.postgresql["postgres-password"]);
    assert.match(first.postgresql["postgres-password"], /^[A-Za-z0-9]{32}$/, "unquoted in the connection string");
    assert.ok(Buffer.from(first.auth["signing-key"], "base64").length >= 32);
  });

  it("fill in only what is missing from a Secret that exists", async () => {
    const { auth } = await renderAgainst({ [`${fullname}-auth`]: { "admin-password": "set-by-hand" } });
    assert.equal(auth["admin-password"], "set-by-hand");
    assert.ok(Buffer.from(auth["signing-key"], "base64").length >= 32);
  });

  it("keep a previous signing key an operator put there to rotate with an overlap, and never make one up", async () => {
    const live = { "signing-key": "bmV3LXNpZ25pbmcta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMhIQ==", "admin-password": "a", "previous-signing-key": "b2xkLWtleS1vZi10aGlydHktdHdvLWJ5dGVzLXRvLXZhbGlkYXRl" };
    const { auth } = await renderAgainst({ [`${fullname}-auth`]: live });
    assert.deepEqual(auth, live);
    const fresh = await renderAgainst({});
    assert.equal(fresh.auth["previous-signing-key"], undefined);
  });

  it("roll the pods when a generated Secret changed, and not otherwise", async () => {
    const live = (password) => ({
      [`${fullname}-auth`]: { "signing-key": "a2VwdC1zaWduaW5nLWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE=", "admin-password": password },
      [`${fullname}-redis`]: { "redis-password": "kept" },
      [`${fullname}-postgresql`]: { "postgres-password": "kept" },
    });
    const [a, b, c] = [await renderAgainst(live("one")), await renderAgainst(live("one")), await renderAgainst(live("two"))];
    assert.equal(a.checksum, b.checksum);
    assert.notEqual(a.checksum, c.checksum);
  });

  it("make the same checksum at install as at the next upgrade, so that upgrade restarts nothing", async () => {
    const install = await renderAgainst({});
    const upgrade = await renderAgainst({ [`${fullname}-auth`]: install.auth, [`${fullname}-redis`]: install.redis, [`${fullname}-postgresql`]: install.postgresql });
    assert.deepEqual(upgrade.auth, install.auth);
    assert.equal(upgrade.checksum, install.checksum);
  });
});
