// The chart runs the images the service projects build (dotnet publish -t:PublishContainer): the same repository
// names, the same non-root user, the port the .NET images listen on. Building the images themselves needs the
// ASP.NET base image from its registry, which CI here cannot reach (docs/operations.md "Container images").
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { chartDir, fullname, named, render, repoDir } from "./lib/chart.js";

const values = parse(readFileSync(join(chartDir, "values.yaml"), "utf8"));
const projects = { api: "Api", socketserver: "SocketServer", analysis: "Analysis", web: "Web" };
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
