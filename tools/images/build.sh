#!/usr/bin/env bash
# Builds the four service images as tarballs with the .NET SDK's container support (dotnet publish -t:PublishContainer,
# ContainerArchiveOutputPath: no Docker daemon), on a base image made here from Debian packages instead of
# mcr.microsoft.com/dotnet/aspnet, which CI cannot reach (docs/operations.md "Container images").
#
#   tools/images/build.sh [output directory]      default: artifacts/images (chatroom-<service>.tar, an OCI layout each)
#
# The base: the .deb packages the ASP.NET runtime needs (the set of Microsoft's chiseled/distroless aspnet images:
# libc, libgcc, libstdc++, OpenSSL, ICU, zlib, CA certificates, tzdata; no shell, no package manager), unpacked with
# dpkg-deb, plus the runtime this SDK runs on (Microsoft.NETCore.App and Microsoft.AspNetCore.App copied from the
# dotnet install), the non-root app user (UID 1654) and the environment of the aspnet images. It is written once
# per runtime version, Debian release and version of this script into the cache
# (CHATROOM_IMAGES_CACHE, default ~/.cache/chatroom-tools/images) and served to the SDK from a registry on loopback
# (Debian's docker-registry, started and stopped here). Needs: apt-get (download only), dpkg-deb, docker-registry,
# curl, jq, node (a free port).
set -euo pipefail
cd "$(dirname "$0")/../.."

out=$(realpath -m "${1:-artifacts/images}")
cache="${CHATROOM_IMAGES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/chatroom-tools/images}"
configuration="${CONFIGURATION:-Release}"
services=(Api SocketServer Analysis Web)
# What the ASP.NET runtime loads from the system (the dependencies of Microsoft's runtime-deps images), by their
# names in Debian 12 bookworm, the release of the CI machines (Debian 13 renames two: libicu76, libssl3t64).
packages=(base-files netbase tzdata ca-certificates libc6 libgcc-s1 libstdc++6 libssl3 libicu72 zlib1g)
app_uid=1654
port_in_container=8080

for tool in apt-get dpkg-deb docker-registry curl jq node; do
  command -v "$tool" >/dev/null 2>&1 || { echo "tools/images/build.sh needs $tool (test.sh installs the Debian packages)" >&2; exit 1; }
done

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" { v = $2 } END { print v }')
[ -d "$dotnet_root/shared/Microsoft.NETCore.App/$runtime" ] || { echo "no Microsoft.NETCore.App $runtime under $dotnet_root" >&2; exit 1; }
. /etc/os-release
key=$(printf '%s %s %s\n' "$runtime" "$VERSION_CODENAME" "$(sha256sum "$0" | cut -c1-16)" | sha256sum | cut -c1-16)
base="$cache/base-$key"   # an OCI layout: oci-layout, index.json, blobs/sha256/*

work=$(mktemp -d)
registry_pid=""
cleanup() {
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A gzip layer blob from a tar; prints "<blob digest> <diff id> <size>".
add_blob() {
  local tar=$1 diff_id digest
  diff_id=$(sha256sum "$tar" | cut -d' ' -f1)
  gzip -n -6 <"$tar" >"$tar.gz"
  digest=$(sha256sum "$tar.gz" | cut -d' ' -f1)
  mkdir -p "$work/layout/blobs/sha256"
  mv "$tar.gz" "$work/layout/blobs/sha256/$digest"
  echo "$digest $diff_id $(stat -c %s "$work/layout/blobs/sha256/$digest")"
}

# One reproducible layer from a directory: entries sorted, owned by root, one fixed time.
layer_tar() {
  local dir=$1 tar=$2
  shift 2
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu "$@" -C "$dir" -cf "$tar" .
}

build_base() {
  echo "Base image: Debian $VERSION_CODENAME packages + ASP.NET Core runtime $runtime (cached in $base)"
  local debs="$work/debs" system="$work/system" dotnet="$work/dotnet"
  mkdir -p "$debs" "$system" "$dotnet"
  local sandbox=()
  # As root apt drops to its _apt user, which cannot write the temporary directory.
  [ "$(id -u)" -ne 0 ] || sandbox=(-o APT::Sandbox::User=root)
  if ! (cd "$debs" && apt-get download -qq "${sandbox[@]}" "${packages[@]}"); then
    # A fresh CI container may have no package lists yet.
    local sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    (cd "$debs" && apt-get download -qq "${sandbox[@]}" "${packages[@]}")
  fi
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$system"; done
  # What the packages' maintainer scripts would have made (none run here): the CA bundle of update-ca-certificates,
  # /tmp, the users.
  mkdir -p "$system/etc/ssl/certs" "$system/tmp" "$system/home/app"
  find "$system/usr/share/ca-certificates" -name '*.crt' | LC_ALL=C sort | xargs cat >"$system/etc/ssl/certs/ca-certificates.crt"
  chmod 1777 "$system/tmp"
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:%s:%s::/home/app:/usr/sbin/nologin\n' "$app_uid" "$app_uid" >"$system/etc/passwd"
  printf 'root:x:0:\napp:x:%s:\n' "$app_uid" >"$system/etc/group"
  rm -rf "$system/usr/share/doc" "$system/usr/share/man" "$system/usr/share/lintian" "$system/usr/share/locale"
  layer_tar "$system" "$work/system.tar" --exclude=./home/app
  # The app user's home belongs to the app user (the rest of the layer to root).
  tar --append --mtime=@0 --owner="$app_uid" --group="$app_uid" --numeric-owner --format=gnu -C "$system" -f "$work/system.tar" ./home/app

  mkdir -p "$dotnet/usr/share/dotnet/host/fxr" "$dotnet/usr/share/dotnet/shared" "$dotnet/usr/bin"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$dotnet/usr/share/dotnet/"
  cp -a "$dotnet_root/host/fxr/$runtime" "$dotnet/usr/share/dotnet/host/fxr/"
  for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    mkdir -p "$dotnet/usr/share/dotnet/shared/$framework"
    cp -a "$dotnet_root/shared/$framework/$runtime" "$dotnet/usr/share/dotnet/shared/$framework/"
  done
  ln -s ../share/dotnet/dotnet "$dotnet/usr/bin/dotnet"
  layer_tar "$dotnet" "$work/dotnet.tar"

  local system_layer dotnet_layer config config_digest manifest manifest_digest
  read -r -a system_layer <<<"$(add_blob "$work/system.tar")"
  read -r -a dotnet_layer <<<"$(add_blob "$work/dotnet.tar")"
  # The environment of mcr.microsoft.com/dotnet/aspnet: the SDK reads APP_UID for the user and ASPNETCORE_HTTP_PORTS
  # for the exposed port when the project sets neither.
  config=$(jq -cn --arg runtime "$runtime" --arg uid "$app_uid" --arg port "$port_in_container" \
    --arg l1 "sha256:${system_layer[1]}" --arg l2 "sha256:${dotnet_layer[1]}" --arg codename "$VERSION_CODENAME" '{
      architecture: "amd64", os: "linux",
      config: {
        Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP_UID=\($uid)",
              "ASPNETCORE_HTTP_PORTS=\($port)", "DOTNET_RUNNING_IN_CONTAINER=true", "DOTNET_VERSION=\($runtime)",
              "ASPNETCORE_VERSION=\($runtime)"],
        User: $uid, WorkingDir: "/app"
      },
      rootfs: { type: "layers", diff_ids: [$l1, $l2] },
      history: [
        { created_by: "tools/images/build.sh: Debian \($codename) packages (dpkg-deb -x), CA bundle, app user \($uid)" },
        { created_by: "tools/images/build.sh: ASP.NET Core runtime \($runtime) from the SDK install" }
      ]
    }')
  printf '%s' "$config" >"$work/config.json"
  config_digest=$(sha256sum "$work/config.json" | cut -d' ' -f1)
  mv "$work/config.json" "$work/layout/blobs/sha256/$config_digest"
  manifest=$(jq -cn --arg c "$config_digest" --argjson cs "${#config}" \
    --arg d1 "${system_layer[0]}" --argjson s1 "${system_layer[2]}" --arg d2 "${dotnet_layer[0]}" --argjson s2 "${dotnet_layer[2]}" '{
      schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: "sha256:\($c)", size: $cs },
      layers: [
        { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: "sha256:\($d1)", size: $s1 },
        { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: "sha256:\($d2)", size: $s2 }
      ]
    }')
  printf '%s' "$manifest" >"$work/manifest.json"
  manifest_digest=$(sha256sum "$work/manifest.json" | cut -d' ' -f1)
  mv "$work/manifest.json" "$work/layout/blobs/sha256/$manifest_digest"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$work/layout/oci-layout"
  jq -cn --arg d "$manifest_digest" --argjson s "${#manifest}" '{schemaVersion: 2, manifests: [
    { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: "sha256:\($d)", size: $s } ]}' >"$work/layout/index.json"
  mkdir -p "$cache"
  rm -rf "$base" && mv "$work/layout" "$base"
}

[ -f "$base/index.json" ] || build_base

# The registry on a free loopback port (the SDK takes its base image from a registry only).
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
cat >"$work/registry.yml" <<EOF
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $work/registry } }
http: { addr: 127.0.0.1:$port }
EOF
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break
  kill -0 "$registry_pid" 2>/dev/null || { cat "$work/registry.log" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null

# Push the layout: each blob in one upload, then the manifest under its tag.
repository=chatroom-base/aspnet
tag="$runtime"
manifest_digest=$(jq -r '.manifests[0].digest' "$base/index.json")
for blob in "$base"/blobs/sha256/*; do
  digest="sha256:$(basename "$blob")"
  [ "$digest" = "$manifest_digest" ] && continue
  location=$(curl -fsS -X POST -o /dev/null -w '%header{location}' "http://127.0.0.1:$port/v2/$repository/blobs/uploads/")
  case "$location" in http*) ;; *) location="http://127.0.0.1:$port$location" ;; esac
  case "$location" in *\?*) sep='&' ;; *) sep='?' ;; esac
  curl -fsS -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$blob" "$location${sep}digest=$digest" >/dev/null
done
curl -fsS -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
  --data-binary "@$base/blobs/sha256/${manifest_digest#sha256:}" "http://127.0.0.1:$port/v2/$repository/manifests/$tag" >/dev/null

# The images, tagged with the chart's appVersion (the tag the chart runs unless image.tag says otherwise).
app_version=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' charts/chatroom/Chart.yaml)
mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 SDK_CONTAINER_INSECURE_REGISTRIES="localhost:$port"
for service in "${services[@]}"; do
  name="chatroom-${service,,}"
  rm -f "$out/$name.tar"
  echo "Image $name:$app_version → $out/$name.tar"
  # -r linux-x64: only the Linux x64 native libraries (ONNX Runtime, SQLite) instead of every platform's (293 MB
  # compressed for the analysis service's app layer without it); still framework-dependent on the base's runtime.
  dotnet publish "src/Chatroom.$service/Chatroom.$service.csproj" -c "$configuration" -nologo -v quiet -t:PublishContainer \
    -r linux-x64 --self-contained false \
    -p:ContainerBaseImage="localhost:$port/$repository:$tag" -p:ContainerImageTags="$app_version" \
    -p:ContainerArchiveOutputPath="$out/$name.tar"
done
