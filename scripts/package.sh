#!/usr/bin/env bash
# Builds the Debian package of aihistory: the server built in Release by scripts/build-release.sh
# (stripped), its systemd unit, its system user, the default configuration /etc/aihistory/aihistory.toml
# (a conffile: dpkg keeps an operator's edits on upgrade), the maintainer scripts that enable the
# service and restart it on upgrade, and the docs. Prints the path of the .deb it made.
#
#   scripts/package.sh [--binary FILE] [--out DIR] [--revision N]
#
#   --binary FILE  package this aihistory binary instead of building one (it is stripped here); the
#                  test suite packages the binary it has already built, to spare CI a second build
#   --out DIR      where the .deb goes (default: build-release/)
#   --revision N   the Debian revision appended to the version (default: 1); the version itself is
#                  the binary's own (`aihistory --version`), so the package never claims another
#
# The package is assembled with dpkg-deb, as debhelper would: dpkg-shlibdeps computes Depends from
# the libraries the binary links, and the maintainer scripts in packaging/ are debhelper's usual
# snippets written out by hand. (CPack was the alternative; it cannot wrap a binary built elsewhere,
# which is what the test needs, and hides these steps behind variables.) Needs dpkg-dev and binutils
# (scripts/install-deps.sh).
set -euo pipefail
here=$PWD  # --binary and --out are relative to where it was run from
cd "$(dirname "$0")/.."
say() { echo "package: $*" >&2; }
die() { echo "package: $*" >&2; exit 1; }

binary=""
out="build-release"
revision="1"
while (($#)); do
  case "$1" in
    --binary) binary=$(cd "$here" && realpath -m -- "${2:?--binary needs a file}"); shift 2 ;;
    --out) out=$(cd "$here" && realpath -m -- "${2:?--out needs a directory}"); shift 2 ;;
    --revision) revision="${2:?--revision needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ "$revision" =~ ^[0-9A-Za-z.+~]+$ ]] || die "--revision '$revision' is not a Debian revision (digits, letters, . + ~)"
for tool in dpkg-deb dpkg-shlibdeps strip; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install-deps.sh"
done

if [ -z "$binary" ]; then
  say "building the server in Release (scripts/build-release.sh)"
  # -O2, and no unity build (whose binary exports more slowly): the package is built once, run long.
  AIH_OPTIMIZE=-O2 AIH_UNITY_BUILD=OFF scripts/build-release.sh >&2
  binary=build-release/aihistory
fi
[ -x "$binary" ] || die "$binary is not an executable"

# The version is the binary's: "aihistory 0.1.0".
version=$("$binary" --version | awk '{ print $2 }')
[[ "$version" =~ ^[0-9][0-9A-Za-z.+~]*$ ]] || die "'$binary --version' gave no usable version: '$version'"
arch=$(dpkg --print-architecture)
deb_version="$version-$revision"

umask 022
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/root"
mkdir -p "$root/DEBIAN"

# The binary, stripped as dh_strip does (symbols and debug information: a few MB instead of 250).
install -D -m 0755 "$binary" "$root/usr/bin/aihistory"
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/usr/bin/aihistory"

install -D -m 0644 packaging/aihistory.service "$root/usr/lib/systemd/system/aihistory.service"
install -D -m 0644 packaging/aihistory.sysusers "$root/usr/lib/sysusers.d/aihistory.conf"
# 0644 as shipped; the postinst makes it root:aihistory 0640 once the group exists.
install -D -m 0644 packaging/aihistory.toml "$root/etc/aihistory/aihistory.toml"

doc="$root/usr/share/doc/aihistory"
install -D -m 0644 README.md "$doc/README.md"
for f in docs/*.md; do install -D -m 0644 "$f" "$doc/$f"; done  # README's links (docs/...) still resolve
if [ -f LICENSE ]; then
  install -m 0644 LICENSE "$doc/copyright"
else
  cat >"$doc/copyright" <<'TXT'
aihistory

The aihistory source carries no license file, so this package states no license: ask the authors
before redistributing it. The libraries it uses are separate packages, each with its own copyright
file in /usr/share/doc.
TXT
fi

# Depends: the packages of the shared libraries the binary links (libpq, libsqlite3, libssl, ...),
# as dpkg-shlibdeps finds them on this machine. It wants a debian/control, which it only reads for
# the package name: give it one in a scratch folder.
mkdir -p "$stage/src/debian"
printf 'Source: aihistory\n\nPackage: aihistory\nArchitecture: any\n' >"$stage/src/debian/control"
shlibs=$(cd "$stage/src" && dpkg-shlibdeps -O --warnings=0 "$root/usr/bin/aihistory") ||
  die "dpkg-shlibdeps could not compute the dependencies (above)"
shlibs=${shlibs#shlibs:Depends=}
[ -n "$shlibs" ] || die "dpkg-shlibdeps found no dependencies for the binary"
# passwd: useradd, which the postinst uses where systemd-sysusers is not installed.
depends="$shlibs, passwd"

installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<TXT
Package: aihistory
Version: $deb_version
Architecture: $arch
Maintainer: ${AIH_PACKAGE_MAINTAINER:-aihistory maintainers <maintainers@aihistory.invalid>}
Installed-Size: $installed_size
Depends: $depends
Section: net
Priority: optional
Description: AI interaction history with a Microsoft Graph compatible export API
 aihistory records every interaction between people and AI assistants (the
 prompts, the responses, their attachments, links, mentions and contexts) and
 exports them through an API that is wire-compatible with Microsoft Graph's
 Interaction Export API, so that tools that speak Graph work against it.
 .
 This package runs it as the systemd service aihistory.service, as the system
 user aihistory, over the store in /var/lib/aihistory, configured by
 /etc/aihistory/aihistory.toml. The documentation is in /usr/share/doc/aihistory.
TXT
echo /etc/aihistory/aihistory.toml >"$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do install -m 0755 "packaging/$script" "$root/DEBIAN/$script"; done
# Checksums of every shipped file but the conffile (dpkg tracks that one itself), as dh_md5sums does.
(cd "$root" && find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\0' | LC_ALL=C sort -z |
  xargs -0 md5sum >DEBIAN/md5sums)
chmod 0644 "$root/DEBIAN/md5sums"

mkdir -p "$out"
deb="$out/aihistory_${deb_version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
say "built $deb ($(du -h "$deb" | cut -f1), version $deb_version)"
echo "$deb"
