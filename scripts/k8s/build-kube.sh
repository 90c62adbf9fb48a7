#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager from the Go module proxy (Debian ships neither) and
# caches them by version outside the checkout, so CI and a fresh clone build once:
#   $RG_KUBE_CACHE (default ~/.cache/rootgraph/kubernetes)/v1.32.13/bin/{kube-apiserver,kube-controller-manager}
# A scratch module requires k8s.io/kubernetes and replaces each staging module (read from its go.mod) with
# the matching v0.x release; a release the proxy refuses falls back one patch at a time.
# Cold: ~12 min on 2 cores, ~2 GB RAM. Prints the bin directory on stdout.
set -euo pipefail

KUBE_VERSION="${RG_KUBE_VERSION:-v1.32.13}"
CACHE="${RG_KUBE_CACHE:-$HOME/.cache/rootgraph/kubernetes}"
DIR="$CACHE/$KUBE_VERSION"
BIN="$DIR/bin"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local

log() { printf '[k8s-build] %s\n' "$*" >&2; }

if [[ -x "$BIN/kube-apiserver" && -x "$BIN/kube-controller-manager" ]]; then
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null || { log "go is required to build kube-apiserver (apt-get install golang-go)"; exit 1; }

mkdir -p "$DIR/src" "$BIN"
exec 9>"$DIR/.lock"
flock 9 # a second caller waits for the first build instead of racing it
if [[ -x "$BIN/kube-apiserver" && -x "$BIN/kube-controller-manager" ]]; then
  echo "$BIN"
  exit 0
fi

start=$(date +%s)
cd "$DIR/src"
staging_minor="v0.${KUBE_VERSION#v1.}" # v1.32.13 -> v0.32.13
mapfile -t staging < <(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" >/dev/null &&
  go mod edit -json "$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$KUBE_VERSION.mod" |
  sed -n 's/.*"Path": "\(k8s\.io\/[a-z0-9-]*\)".*/\1/p' | sort -u)

cat >go.mod <<MOD
module rootgraph.local/kubebuild

go 1.23

require k8s.io/kubernetes $KUBE_VERSION
MOD
printf 'package kubebuild\n' >doc.go

major_minor="${staging_minor%.*}"
patch="${staging_minor##*.}"
for m in "${staging[@]}"; do
  [[ "$m" == k8s.io/kubernetes ]] && continue
  # only modules that kubernetes replaces with ./staging are staged; others resolve normally
  grep -q "$m => ./staging" "$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$KUBE_VERSION.mod" || continue
  p=$patch
  while ((p >= 0)); do
    if go mod download "$m@$major_minor.$p" >/dev/null 2>&1; then break; fi
    log "$m@$major_minor.$p refused by the proxy; trying the previous patch"
    p=$((p - 1))
  done
  ((p >= 0)) || { log "no release of $m in $major_minor.x"; exit 1; }
  go mod edit -replace "$m=$m@$major_minor.$p"
done

log "building kube-apiserver and kube-controller-manager $KUBE_VERSION (cold: ~12 min on 2 cores)"
nice -n 10 go build -trimpath -o "$BIN/" \
  -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${major_minor#v0.}" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
log "built in $(($(date +%s) - start)) s into $BIN"
echo "$BIN"
