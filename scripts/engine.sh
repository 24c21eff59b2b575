#!/usr/bin/env bash
# The real Pulumi engine for `npm run test:engine`: which `pulumi` (and YAML language host) the suite runs.
#
#   scripts/engine.sh which           the absolute path of the pulumi CLI: $PULUMI_BIN, else a `pulumi` on PATH,
#                                     else the pinned release built from the Go module registry into .engine/bin
#   scripts/engine.sh language-yaml   the absolute path of pulumi-language-yaml: next to that pulumi (release
#                                     archives bundle it), else on PATH, else built into .engine/bin
#   scripts/engine.sh build           build both pinned binaries into .engine/bin (a quick re-link once Go's caches
#                                     are warm)
#
# The versions are pinned by scripts/engine/{cli,yaml}/go.mod and go.sum: wrapper modules, because the CLI's own
# module has `replace` directives that `go install …@version` refuses (a dependency's replaces are ignored). The
# YAML host is built against the same pulumi/pkg and pulumi/sdk as the CLI, so the two share compiled packages.
# Building needs Go (1.26 or newer) and the Go module proxy; nothing else here uses the network.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
modules="$root/scripts/engine"
out="$root/.engine/bin"
PULUMI_VERSION=v3.276.0   # keep in step with scripts/engine/cli/go.mod

log() { printf 'engine: %s\n' "$*" >&2; }

# Builds one tool of one wrapper module into .engine/bin, unless the binary there was built from the same pins.
build_tool() { # <module dir> <package> <binary name> [ldflags]
  local module="$1" package="$2" name="$3" ldflags="${4:-}"
  local stamp="$out/.$name.pins"
  local pins
  pins="$(cd "$modules/$module" && cat go.mod go.sum && printf '%s' "$ldflags" | sha256sum)"
  pins="$(printf '%s' "$pins" | sha256sum | cut -d' ' -f1)"
  if [ -x "$out/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$pins" ]; then return 0; fi
  if ! command -v go >/dev/null 2>&1; then
    log "no $name: set PULUMI_BIN or put a pulumi CLI (with its language hosts) on PATH, or install Go 1.26+ to build $name here"
    exit 1
  fi
  mkdir -p "$out"
  log "building $name ($module module, $(go version | cut -d' ' -f3)): a re-link when Go's caches are warm, several minutes the first time"
  local started=$SECONDS
  # No cgo (a static binary, no C toolchain); -mod=readonly: exactly the pinned go.sum, nothing resolved anew.
  (cd "$modules/$module" && CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=readonly" \
    go build -ldflags "$ldflags" -o "$out/.$name.tmp" "$package") >&2
  mv -f "$out/.$name.tmp" "$out/$name"
  printf '%s\n' "$pins" >"$stamp"
  log "built $out/$name in $((SECONDS - started)) s"
}

build_cli() {
  # Without the version flag `pulumi version` prints nothing and the Automation API refuses the CLI.
  build_tool cli github.com/pulumi/pulumi/pkg/v3/cmd/pulumi pulumi \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
}

build_yaml() {
  build_tool yaml github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml pulumi-language-yaml
}

# One build at a time (parallel test workers, a second terminal): the others wait and then find it built.
locked() {
  mkdir -p "$out"
  exec 9>"$out/.lock"
  flock 9
  "$@"
  flock -u 9
}

which_pulumi() {
  if [ -n "${PULUMI_BIN:-}" ]; then
    if [ ! -x "$PULUMI_BIN" ] || [ -d "$PULUMI_BIN" ]; then log "PULUMI_BIN=$PULUMI_BIN is not an executable file"; exit 1; fi
    realpath "$PULUMI_BIN"
  elif command -v pulumi >/dev/null 2>&1; then
    realpath "$(command -v pulumi)"
  else
    locked build_cli
    printf '%s\n' "$out/pulumi"
  fi
}

which_yaml() {
  local dir
  dir="$(dirname "$(which_pulumi)")"
  if [ "$dir" = "$out" ]; then
    locked build_yaml
    printf '%s\n' "$out/pulumi-language-yaml"
  elif [ -x "$dir/pulumi-language-yaml" ]; then
    printf '%s\n' "$dir/pulumi-language-yaml"
  elif command -v pulumi-language-yaml >/dev/null 2>&1; then
    realpath "$(command -v pulumi-language-yaml)"
  else
    locked build_yaml
    printf '%s\n' "$out/pulumi-language-yaml"
  fi
}

case "${1:-which}" in
  which) which_pulumi ;;
  language-yaml) which_yaml ;;
  build) locked build_cli; locked build_yaml ;;
  *) log "usage: scripts/engine.sh [which | language-yaml | build]"; exit 2 ;;
esac
