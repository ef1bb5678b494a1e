// Reads the image tarballs tools/images/build.sh writes (dotnet publish -t:PublishContainer with
// ContainerArchiveOutputPath): an OCI image layout (index.json) or a docker-archive (manifest.json) in a tar.
import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { repoDir } from "./chart.js";

/** Where the tarballs are: CHATROOM_IMAGES_DIR, or artifacts/images in the repository (the build script's default). */
export const imagesDir = process.env.CHATROOM_IMAGES_DIR ?? join(repoDir, "artifacts", "images");

/**
 * The entries of a tar file: name → { offset, size, type, linkTarget, text } (ustar and GNU headers; long names as
 * GNU "././@LongLink"); `text` holds the content of regular files up to 64 KiB (configuration files, passwd).
 */
export function tarEntries(read, total) {
  const entries = new Map();
  let offset = 0;
  let longName = null;
  while (offset + 512 <= total) {
    const header = read(offset, 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, length) => header.subarray(start, start + length).toString("latin1").replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    let name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = null;
    if (type === "L") {
      longName = read(offset + 512, size).toString("utf8").replace(/\0.*$/s, "");
    } else if (type === "0" || type === "" || type === "1" || type === "2" || type === "5") {
      name = name.replace(/^\.\//, "");
      const linkTarget = field(157, 100);
      const text = (type === "0" || type === "") && size <= 65536 ? read(offset + 512, size).toString("utf8") : undefined;
      entries.set(name, { offset: offset + 512, size, type: type || "0", linkTarget, text });
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

const layerCache = new Map();

/** One image tarball: its reference, manifest, config and a way to list its layers' files. */
export function readImage(path) {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: build the images with tools/images/build.sh (./test.sh does before the chart tests)`);
  }
  const fd = openSync(path, "r");
  try {
    const read = (offset, length) => {
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, offset);
      return buffer;
    };
    const entries = tarEntries(read, fstatSync(fd).size);
    const file = (name) => {
      const entry = entries.get(name);
      if (!entry) throw new Error(`${path} has no ${name}`);
      return read(entry.offset, entry.size);
    };
    const json = (name) => JSON.parse(file(name).toString("utf8"));
    const blob = (digest) => `blobs/sha256/${digest.replace(/^sha256:/, "")}`;

    let reference, manifest, config, layers;
    if (entries.has("index.json")) {
      const index = json("index.json");
      const descriptor = index.manifests[0];
      reference = descriptor.annotations?.["io.containerd.image.name"] ?? descriptor.annotations?.["org.opencontainers.image.ref.name"];
      manifest = json(blob(descriptor.digest));
      config = json(blob(manifest.config.digest));
      layers = manifest.layers.map((l) => ({ name: blob(l.digest), size: l.size, mediaType: l.mediaType }));
    } else {
      [manifest] = json("manifest.json");
      reference = manifest.RepoTags?.[0];
      config = json(manifest.Config);
      layers = manifest.Layers.map((name) => ({ name, size: entries.get(name).size, mediaType: "" }));
    }
    // A layer's files (gzip or plain tar), read while the tarball is open; the images share their base layers.
    const layerFiles = layers.map((layer) => {
      if (!layerCache.has(layer.name)) {
        const data = file(layer.name);
        const tar = data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : data;
        const files = tarEntries((offset, length) => tar.subarray(offset, offset + length), tar.length);
        layerCache.set(layer.name, Object.assign(files, { unpackedSize: tar.length }));
      }
      return layerCache.get(layer.name);
    });
    return { reference: parseReference(reference), manifest, config: config.config ?? {}, layers, layerFiles };
  } finally {
    closeSync(fd);
  }
}

/** "docker.io/library/chatroom-api:0.1.0" → { repository: "chatroom-api", tag: "0.1.0" }. */
export function parseReference(reference) {
  if (!reference) return { repository: undefined, tag: undefined };
  const colon = reference.lastIndexOf(":");
  const hasTag = colon > reference.lastIndexOf("/");
  const name = hasTag ? reference.slice(0, colon) : reference;
  return { repository: name.replace(/^(docker\.io\/)?library\//, "").replace(/^docker\.io\//, ""), tag: hasTag ? reference.slice(colon + 1) : "latest" };
}

/** The path a file has in the image's root filesystem, following the layers top down ("usr/bin/dotnet"). */
export function findInImage(image, path) {
  for (let i = image.layerFiles.length - 1; i >= 0; i--) {
    const entry = image.layerFiles[i].get(path);
    if (entry) return entry;
  }
  return undefined;
}
