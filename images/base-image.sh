#!/usr/bin/env bash
# Builds the base image of the Hotpot JVM images as a `docker save` tarball, with no container
# engine and no registry: a Java runtime cut from the local JDK with jlink, plus the C library
# and busybox (for the pods' preStop `sleep`) unpacked from Debian packages.
#
#   images/base-image.sh OUT.tar
#
# Jib reads it as `tar://OUT.tar`. JAVA_HOME must be a JDK 21+ with jlink; apt-get must reach
# Debian's packages (apt-get download, no root needed).
set -euo pipefail

out="$1"
java_home="${JAVA_HOME:?JAVA_HOME must point at a JDK}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"

# The modules of Java SE plus what Quarkus and its libraries use beyond it.
"$java_home/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.management,jdk.crypto.cryptoki,jdk.zipfs,jdk.naming.dns,jdk.localedata \
    --strip-debug --no-man-pages --no-header-files --compress=zip-6 --output "$root/opt/java"

# The JDK's binaries need glibc only (it bundles zlib); busybox gives `sleep` and a shell.
debs="$work/debs"
mkdir -p "$debs"
download() { (cd "$debs" && apt-get download -q libc6 busybox-static >"$work/apt.log" 2>&1); }
if ! download; then
    # No package lists yet (a fresh machine): fetch them once, then retry.
    if [ "$(id -u)" -eq 0 ]; then apt-get update -q >>"$work/apt.log" 2>&1 || true; fi
    download || { cat "$work/apt.log" >&2; echo "apt-get download libc6 busybox-static failed" >&2; exit 1; }
fi
for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$root"; done
for tool in sh sleep; do ln -sf busybox "$root/bin/$tool"; done

# uid 185 as in the ubi OpenJDK images, which the chart's securityContext expects.
mkdir -p "$root/etc" "$root/tmp" "$root/home/hotpot" "$root/proc" "$root/dev" "$root/sys"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nhotpot:x:185:185:hotpot:/home/hotpot:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nhotpot:x:185:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"

# One layer, reproducible: sorted names, numeric root ownership, fixed times.
img="$work/image"
mkdir -p "$img"
(cd "$root" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | sort) >"$work/top"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$root" -cf "$img/layer.tar" -T "$work/top"
diff_id="sha256:$(sha256sum "$img/layer.tar" | cut -d' ' -f1)"
jdk="$("$root/opt/java/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
libc="$(dpkg-deb -f "$debs"/libc6_*.deb Version)"
cat >"$img/config.json" <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/opt/java/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],
  "User":"185","WorkingDir":"/home/hotpot",
  "Labels":{"io.hotpot.base.java":"$jdk","io.hotpot.base.libc6":"$libc"}},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"images/base-image.sh (jlink $jdk, Debian libc6 $libc, busybox-static)"}]}
JSON
printf '[{"Config":"config.json","RepoTags":["hotpot/jre-base:%s"],"Layers":["layer.tar"]}]\n' "${jdk%%+*}" >"$img/manifest.json"
mkdir -p "$(dirname "$out")"
tar --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$img" -cf "$out.tmp" manifest.json config.json layer.tar
mv "$out.tmp" "$out"
echo "base image: $out (Java $jdk, libc6 $libc, $(du -h "$out" | cut -f1))"
