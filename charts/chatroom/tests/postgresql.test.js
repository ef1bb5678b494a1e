// PostgreSQL for accounts (postgresql.mode): none keeps SQLite in each API pod; existing reads the connection string
// from the operator's Secret and migrates in a pre-install/pre-upgrade hook; development runs a PostgreSQL StatefulSet
// in the release and migrates in a Job beside it. Only the API and the migration get the database.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chartDir, component, fullname, helm, named, namespace, ofKind, release, render, run, valueSets } from "./lib/chart.js";

const services = ["api", "socketserver", "analysis", "web"];
const env = (container) => Object.fromEntries((container.env ?? []).map((e) => [e.name, e]));
const apiContainer = (objects) => named(objects, "Deployment", `${fullname}-api`).spec.template.spec.containers[0];
const migrations = (objects) => ofKind(objects, "Job").filter((j) => component(j.metadata.labels) === "accounts-migration");
const ofComponent = (objects, name) => objects.filter((o) => component(o.metadata.labels) === name);
const notes = (sets) => {
  const args = ["install", release, chartDir, "--namespace", namespace, "--dry-run=client"];
  for (const s of sets) args.push("--set", s);
  return run(helm, args).split("NOTES:")[1];
};
const refused = (sets, pattern) => {
  const args = ["template", release, chartDir, "--namespace", namespace];
  for (const set of sets) args.push("--set", set);
  assert.throws(() => run(helm, args), (error) => pattern.test(String(error.stderr)), `rendered with ${sets.join(" ")}`);
};

describe("postgresql.mode none (the default)", () => {
  const objects = render(null);
  it("runs no PostgreSQL and no migration, and gives the API no accounts connection string (SQLite in /data)", () => {
    assert.deepEqual(ofComponent(objects, "postgresql"), []);
    assert.deepEqual(ofComponent(objects, "accounts-migration"), []);
    assert.equal(env(apiContainer(objects)).ConnectionStrings__accounts, undefined);
  });
  it("says in NOTES.txt that registered accounts do not work, and how to get them", () => {
    const text = notes([]);
    assert.match(text, /postgresql\.mode is none/);
    assert.match(text, /lost with the pod/);
    assert.match(text, /postgresql\.mode=existing/);
  });
});

describe("postgresql.mode existing (ci/prod-values.yaml)", () => {
  const objects = render("prod");
  const [job] = migrations(objects);
  const fromSecret = { name: "chatroom-accounts-db", key: "connection-string" };

  it("gives the API the connection string from the operator's Secret, and no other service", () => {
    assert.deepEqual(env(apiContainer(objects)).ConnectionStrings__accounts.valueFrom.secretKeyRef, fromSecret);
    for (const name of services.filter((s) => s !== "api")) {
      const container = named(objects, "Deployment", `${fullname}-${name}`).spec.template.spec.containers[0];
      assert.ok(!Object.keys(env(container)).some((k) => k.includes("accounts") || k.includes("ACCOUNTS")), name);
    }
  });
  it("runs no PostgreSQL of its own and generates no password", () => {
    assert.deepEqual(ofComponent(objects, "postgresql"), []);
    assert.equal(named(objects, "Secret", `${fullname}-postgresql`), undefined);
  });
  it("migrates in one pre-install/pre-upgrade hook Job before anything else, deleted once it succeeded", () => {
    assert.equal(migrations(objects).length, 1);
    assert.equal(job.metadata.name, `${fullname}-accounts-migration`);
    const annotations = job.metadata.annotations;
    assert.equal(annotations["helm.sh/hook"], "pre-install,pre-upgrade");
    assert.ok(Number(annotations["helm.sh/hook-weight"]) < 0, "before the release's other hooks");
    assert.equal(annotations["helm.sh/hook-delete-policy"], "before-hook-creation,hook-succeeded");
  });
  it("runs the API image with --migrate-accounts, one pod at a time, never restarting in place", () => {
    const pod = job.spec.template.spec;
    assert.equal(pod.containers.length, 1);
    assert.equal(pod.containers[0].image, apiContainer(objects).image);
    assert.deepEqual(pod.containers[0].args, ["--migrate-accounts"]);
    assert.equal(pod.restartPolicy, "Never");
    assert.equal(job.spec.parallelism ?? 1, 1);
    assert.ok(job.spec.activeDeadlineSeconds > 0);
    assert.deepEqual(env(pod.containers[0]).ConnectionStrings__accounts.valueFrom.secretKeyRef, fromSecret);
  });
  it("uses nothing the release creates, since it runs before the release's objects exist", () => {
    const pod = job.spec.template.spec;
    assert.equal(pod.serviceAccountName, undefined, "the chart's ServiceAccount does not exist before the install");
    assert.equal(pod.containers[0].envFrom, undefined, "the chart's ConfigMap does not exist before the install");
    const refs = (pod.containers[0].env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name).filter(Boolean);
    assert.deepEqual(refs, ["chatroom-accounts-db"]);
    // The operator's settings still reach it, written into its env.
    assert.equal(env(pod.containers[0]).Chatroom__Analysis__Workers.value, "2");
  });
  it("lets the hook reach the database on an upgrade, when the last revision's default deny already holds its pod", () => {
    // The release's own objects are updated only after the pre-upgrade hooks: its egress policy must be a hook too,
    // made before the Job (lower weight) and removed with it.
    const policy = named(objects, "NetworkPolicy", `${fullname}-accounts-migration`);
    assert.equal(policy.metadata.annotations["helm.sh/hook"], job.metadata.annotations["helm.sh/hook"]);
    assert.ok(Number(policy.metadata.annotations["helm.sh/hook-weight"]) < Number(job.metadata.annotations["helm.sh/hook-weight"]));
    assert.equal(policy.metadata.annotations["helm.sh/hook-delete-policy"], "before-hook-creation,hook-succeeded");
    assert.deepEqual(policy.spec.egress, [{ to: [{ ipBlock: { cidr: "10.50.0.0/16" } }], ports: [{ protocol: "TCP", port: 5432 }] }]);
    // Beside the development server both are ordinary objects of the release.
    assert.equal(named(render("dev"), "NetworkPolicy", `${fullname}-accounts-migration`).metadata.annotations?.["helm.sh/hook"], undefined);
  });
  it("is refused without the Secret", () => refused(["postgresql.mode=existing"], /postgresql\/existing\/existingSecret/));
  it("says in NOTES.txt where the migration's logs are", () => {
    assert.match(notes(["postgresql.mode=existing", "postgresql.existing.existingSecret=db"]), /logs job\/prod-chatroom-accounts-migration/);
  });
});

describe("postgresql.mode development (ci/dev-values.yaml)", () => {
  const objects = render("dev");
  const host = `${fullname}-postgresql`;
  const set = named(objects, "StatefulSet", host);

  it("runs one PostgreSQL pod on a claim of its own, as the image's postgres user, behind a Service", () => {
    assert.equal(set.spec.replicas, 1);
    const pod = set.spec.template.spec;
    assert.equal(pod.containers[0].image, "docker.io/library/postgres:18.3");
    assert.equal(pod.securityContext.runAsUser, 999);
    assert.equal(set.spec.volumeClaimTemplates[0].spec.resources.requests.storage, "8Gi");
    // PostgreSQL 18's volume: the data lives in 18/docker below it (the image's PGDATA).
    assert.equal(pod.containers[0].volumeMounts.find((m) => m.name === "data").mountPath, "/var/lib/postgresql");
    assert.equal(env(pod.containers[0]).PGDATA, undefined);
    assert.match(pod.containers[0].readinessProbe.exec.command.join(" "), /pg_isready/);
    assert.equal(named(objects, "Service", host).spec.ports[0].port, 5432);
  });
  it("generates its password into a Secret and gives it to the server, the API and the migration", () => {
    const secret = named(objects, "Secret", host);
    assert.ok(secret.data["postgres-password"]);
    const ref = { name: host, key: "postgres-password" };
    assert.deepEqual(env(set.spec.template.spec.containers[0]).POSTGRES_PASSWORD.valueFrom.secretKeyRef, ref);
    const api = env(apiContainer(objects));
    assert.deepEqual(api.ACCOUNTS_DB_PASSWORD.valueFrom.secretKeyRef, ref);
    assert.equal(api.ConnectionStrings__accounts.value, `Host=${host};Port=5432;Database=accounts;Username=chatroom;Password=$(ACCOUNTS_DB_PASSWORD)`);
    const migrate = env(migrations(objects)[0].spec.template.spec.containers[0]);
    assert.deepEqual(migrate.ACCOUNTS_DB_PASSWORD.valueFrom.secretKeyRef, ref);
    assert.equal(migrate.ConnectionStrings__accounts.value, api.ConnectionStrings__accounts.value);
  });
  it("migrates in a Job of the release (no hook: the server does not exist before the install), one per revision, once the server answers", () => {
    const [job] = migrations(objects);
    assert.equal(job.metadata.annotations?.["helm.sh/hook"], undefined);
    assert.equal(job.metadata.name, `${fullname}-accounts-migration-r1`);
    const pod = job.spec.template.spec;
    assert.match(pod.initContainers[0].args[0], new RegExp(`until pg_isready -h ${host} -p 5432`));
    assert.deepEqual(pod.containers[0].args, ["--migrate-accounts"]);
  });
  it("uses a given password Secret instead of generating one, and refuses to guess when generation is off", () => {
    const given = render("dev", ["postgresql.development.existingSecret=pg", "postgresql.development.passwordKey=pw"]);
    assert.equal(named(given, "Secret", host), undefined);
    assert.deepEqual(env(apiContainer(given)).ACCOUNTS_DB_PASSWORD.valueFrom.secretKeyRef, { name: "pg", key: "pw" });
    refused(["secrets.generate=false", "auth.existingSecret=a", "redis.bundled.existingSecret=r", "postgresql.mode=development"],
      /postgresql\.development\.existingSecret/);
  });
  it("takes the mirror registry and a digest like every other image", () => {
    const digest = `sha256:${"c".repeat(64)}`;
    const mirrored = render("dev", ["global.imageRegistry=mirror.example.com", `postgresql.development.image.digest=${digest}`]);
    assert.equal(named(mirrored, "StatefulSet", host).spec.template.spec.containers[0].image, `mirror.example.com/library/postgres@${digest}`);
  });
});

describe("the values schema", () => {
  it("refuses a mode the chart does not have", () => refused(["postgresql.mode=bundled"], /postgresql\/mode/));
  it("refuses a database name that is not a plain identifier (it goes unquoted into a connection string)", () =>
    refused(["postgresql.development.database=a;b"], /database/));
  for (const set of Object.keys(valueSets)) {
    it(`ci/${set}-values.yaml puts no connection string in the API's ConfigMap`, () => {
      const config = named(render(set), "ConfigMap", `${fullname}-config`).data;
      assert.ok(!Object.keys(config).some((k) => /accounts/i.test(k)));
    });
  }
});
