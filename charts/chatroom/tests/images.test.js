// The chart runs the images the service projects build (dotnet publish -t:PublishContainer): the same repository
// names, the same non-root user, the port the .NET images listen on. The projects' settings are compared with the
// chart, and so are the images themselves: tools/images/build.sh writes each one as a tarball (./test.sh runs it
// before these tests; on a base image made from Debian packages, docs/operations.md "Container images").
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { chartDir, fullname, named, render, repoDir } from "./lib/chart.js";
import { findInImage, imagesDir, readImage } from "./lib/image.js";

const values = parse(readFileSync(join(chartDir, "values.yaml"), "utf8"));
const chart = parse(readFileSync(join(chartDir, "Chart.yaml"), "utf8"));
const projects = { api: "Api", socketserver: "SocketServer", analysis: "Analysis", web: "Web" };
// Size budgets, compressed layers as a registry stores them (MB): the base (Debian libraries + ASP.NET Core runtime)
// is ~71 MB; the analysis service carries ONNX Runtime and the embedded MiniLM embedding model (~90 MB).
const budgetMb = { api: 100, socketserver: 100, analysis: 220, web: 100 };
const property = (xml, name) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1];
// A project file with the files it imports (the services share their container settings in src/Service.props).
const project = (path) => {
  const xml = readFileSync(path, "utf8");
  const imported = [...xml.matchAll(/<Import Project="([^"]+)"/g)].map((m) => project(join(dirname(path), m[1].replaceAll("\\", "/"))));
  return [xml, ...imported].join("\n");
};

describe("the service images", () => {
  for (const [service, name] of Object.entries(projects)) {
    describe(service, () => {
      const csproj = project(join(repoDir, "src", `Chatroom.${name}`, `Chatroom.${name}.csproj`));
      it("are the repository its project publishes", () => {
        assert.equal(values[service].image.repository, property(csproj, "ContainerRepository"));
      });
      it("run as the user its project's image declares (non-root)", () => {
        const user = Number(property(csproj, "ContainerUser"));
        assert.ok(user > 0, "the image runs as root");
        assert.equal(values.podSecurityContext.runAsUser, user);
        assert.equal(named(render("prod"), "Deployment", `${fullname}-${service}`).spec.template.spec.securityContext.runAsUser, user);
      });
      it("are reached on the port the .NET images listen on (8080), which the chart also sets", () => {
        assert.equal(property(csproj, "ContainerPort") ?? "8080", "8080");
        const objects = render("prod");
        assert.equal(named(objects, "ConfigMap", `${fullname}-config`).data.ASPNETCORE_HTTP_PORTS, "8080");
        assert.equal(named(objects, "Deployment", `${fullname}-${service}`).spec.template.spec.containers[0].ports[0].containerPort, 8080);
      });

      describe(`its image tarball (${join(imagesDir, `${values[service].image.repository}.tar`)})`, () => {
        let image;
        const loaded = () => (image ??= readImage(join(imagesDir, `${values[service].image.repository}.tar`)));
        const deployment = () => named(render("prod"), "Deployment", `${fullname}-${service}`).spec.template.spec;

        it("is named as the chart pulls it: image.repository, tagged with the chart's appVersion", () => {
          assert.deepEqual(loaded().reference, { repository: values[service].image.repository, tag: chart.appVersion });
        });
        it("runs as the chart's non-root user, one the image's /etc/passwd knows", () => {
          const user = Number(loaded().config.User);
          assert.ok(Number.isInteger(user) && user > 0, `the image's user is ${JSON.stringify(loaded().config.User)}`);
          assert.equal(user, values.podSecurityContext.runAsUser);
          assert.equal(user, deployment().securityContext.runAsUser);
          const passwd = findInImage(loaded(), "etc/passwd")?.text ?? "";
          assert.ok(passwd.split("\n").some((line) => line.split(":")[2] === String(user)), `no user ${user} in the image's /etc/passwd`);
        });
        it("starts the service: dotnet runs its assembly on the ASP.NET Core runtime the image carries", () => {
          const { config } = loaded();
          assert.deepEqual(config.Entrypoint, ["dotnet", `/app/Chatroom.${name}.dll`]);
          assert.ok(findInImage(loaded(), `app/Chatroom.${name}.dll`), "the entry assembly is not in the image");
          const dotnet = findInImage(loaded(), "usr/bin/dotnet");
          assert.ok(dotnet, "no dotnet on the image's PATH");
          assert.ok(findInImage(loaded(), join("usr/bin", dotnet.linkTarget || "dotnet").replace(/^usr\/bin\/\.\.\//, "usr/")), "usr/bin/dotnet points nowhere");
          const { runtimeOptions } = JSON.parse(findInImage(loaded(), `app/Chatroom.${name}.runtimeconfig.json`).text);
          for (const framework of runtimeOptions.frameworks ?? [runtimeOptions.framework]) {
            const installed = [...loaded().layerFiles.flatMap((files) => [...files.keys()])]
              .filter((path) => path.startsWith(`usr/share/dotnet/shared/${framework.name}/`) && path.endsWith(`/${framework.name}.deps.json`))
              .map((path) => path.split("/")[5]);
            // Roll-forward within the major version: the same major, at least the patch the service was built for.
            const parts = (v) => v.split(".").map(Number);
            const [major, minor, patch] = parts(framework.version);
            assert.ok(installed.map(parts).some(([M, m, p]) => M === major && (m > minor || (m === minor && p >= patch))),
              `the image has ${framework.name} ${installed.join(", ") || "nowhere"}, the service needs ${framework.version}`);
          }
          // No shell in these images: the chart must not run one in the service containers.
          assert.equal(deployment().containers[0].command, undefined);
        });
        it("exposes the chart's containerPort, where ASP.NET Core listens", () => {
          const { config } = loaded();
          const port = deployment().containers[0].ports[0].containerPort;
          assert.deepEqual(Object.keys(config.ExposedPorts ?? {}), [`${port}/tcp`]);
          assert.ok(config.Env.includes(`ASPNETCORE_HTTP_PORTS=${port}`));
        });
        it(`is at most ${budgetMb[service]} MB as pushed (compressed layers)`, () => {
          const mb = loaded().layers.reduce((sum, layer) => sum + layer.size, 0) / 1e6;
          assert.ok(mb <= budgetMb[service], `${mb.toFixed(1)} MB`);
        });
      });
    });
  }
  it("are all four: no other project publishes an image the chart does not run", () => {
    const published = readdirSync(join(repoDir, "src"))
      .filter((dir) => {
        try {
          return property(readFileSync(join(repoDir, "src", dir, `${dir}.csproj`), "utf8"), "ContainerRepository");
        } catch {
          return false;
        }
      })
      .sort();
    assert.deepEqual(published, Object.values(projects).map((p) => `Chatroom.${p}`).sort());
  });
});
