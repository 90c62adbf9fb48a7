#!/usr/bin/env bash
# Installs (if missing) and starts rootgraph's backing services on loopback, idempotently:
#   Neo4j 5.26 community (embedded, launched from Maven Central jars), Redis, Prometheus, Alertmanager,
#   Debian's chromium (installed only, nothing started: the web UI's browser test drives it), and a
#   kubelet-less Kubernetes control plane (etcd + kube-apiserver + kube-controller-manager, scripts/k8s/).
# Usage: scripts/services.sh up|down|status [neo4j|redis|prometheus|alertmanager|chromium|kubernetes ...]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VAR="${ROOTGRAPH_VAR:-$ROOT/var}"
RUN="$VAR/run"
NEO4J_PORT="${RG_NEO4J_PORT:-7687}"
REDIS_PORT="${RG_REDIS_PORT:-6379}"
PROM_PORT="${RG_PROMETHEUS_PORT:-9090}"
AM_PORT="${RG_ALERTMANAGER_PORT:-9093}"
NEO4J_HEAP="${RG_NEO4J_HEAP:-1g}"
NEO4J_PAGECACHE_MB="${RG_NEO4J_PAGECACHE_MB:-256}"
M2="${RG_M2_REPO:-$HOME/.m2/repository}"
LAUNCHER="$ROOT/services/neo4j"
# kubernetes first: a cold build then runs in the background while the others start.
ALL=(kubernetes neo4j redis prometheus alertmanager chromium)

log() { printf '[services] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # name port seconds
  local i
  for ((i = 0; i < $3 * 2; i++)); do
    port_open "$2" && { log "$1 is up on 127.0.0.1:$2"; return 0; }
    sleep 0.5
  done
  log "$1 did not open 127.0.0.1:$2 within $3 s; its log: $VAR/log/$1.log"
  tail -n 40 "$VAR/log/$1.log" >&2 || true
  return 1
}

apt_install() { # packages...
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]} from Debian"
  if [[ ! -f "$VAR/.apt-updated" ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    mkdir -p "$VAR" && touch "$VAR/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

start_bg() { # name command...
  local name="$1"; shift
  mkdir -p "$RUN" "$VAR/log"
  nohup "$@" >"$VAR/log/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}

up_neo4j() {
  port_open "$NEO4J_PORT" && { log "neo4j already answering on $NEO4J_PORT"; return 0; }
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  if [[ ! -f "$LAUNCHER/target/neo4j-launcher-1.0.0.jar" || ! -d "$LAUNCHER/target/lib" ]]; then
    command -v mvn >/dev/null || apt_install maven
    log "resolving org.neo4j:neo4j and org.neo4j:neo4j-bolt 5.26 from Maven Central (first run only)"
    mvn -B -q -Dmaven.repo.local="$M2" -f "$LAUNCHER/pom.xml" package -DskipTests >&2
  fi
  start_bg neo4j java "-Xmx$NEO4J_HEAP" -XX:+UseG1GC -cp "$LAUNCHER/target/neo4j-launcher-1.0.0.jar:$LAUNCHER/target/lib/*" \
    dev.rootgraph.neo4j.Launcher "$VAR/neo4j" "$NEO4J_PORT" "$NEO4J_PAGECACHE_MB" 120
  wait_port neo4j "$NEO4J_PORT" 120
}

up_redis() {
  port_open "$REDIS_PORT" && { log "redis already answering on $REDIS_PORT"; return 0; }
  apt_install redis-server
  mkdir -p "$VAR/redis"
  # appendonly so a restarted Redis keeps queued jobs (the jobs tests restart it).
  start_bg redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$VAR/redis" --appendonly yes \
    --save '' --protected-mode yes --maxmemory-policy noeviction
  wait_port redis "$REDIS_PORT" 30
}

up_prometheus() {
  port_open "$PROM_PORT" && { log "prometheus already answering on $PROM_PORT"; return 0; }
  apt_install prometheus
  mkdir -p "$VAR/prometheus/data"
  cat >"$VAR/prometheus/prometheus.yml" <<YAML
global: { scrape_interval: 15s }
scrape_configs: []
YAML
  start_bg prometheus prometheus --config.file="$VAR/prometheus/prometheus.yml" \
    --storage.tsdb.path="$VAR/prometheus/data" --web.listen-address="127.0.0.1:$PROM_PORT" \
    --storage.tsdb.retention.time=3650d --web.enable-admin-api
  wait_port prometheus "$PROM_PORT" 60
}

up_alertmanager() {
  port_open "$AM_PORT" && { log "alertmanager already answering on $AM_PORT"; return 0; }
  apt_install prometheus-alertmanager
  mkdir -p "$VAR/alertmanager/data"
  local webhook="${RG_ALERTMANAGER_WEBHOOK:-http://127.0.0.1:18080/v1/alerts/alertmanager}"
  cat >"$VAR/alertmanager/alertmanager.yml" <<YAML
route:
  receiver: rootgraph
  group_by: ['...']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: rootgraph
    webhook_configs:
      - url: '$webhook'
        send_resolved: true
YAML
  start_bg alertmanager prometheus-alertmanager --config.file="$VAR/alertmanager/alertmanager.yml" \
    --storage.path="$VAR/alertmanager/data" --web.listen-address="127.0.0.1:$AM_PORT" \
    --cluster.listen-address= 
  wait_port alertmanager "$AM_PORT" 60
}

# Installed, not run: test/integration/web launches it through puppeteer-core (which downloads no browser).
up_chromium() {
  command -v chromium >/dev/null || apt_install chromium
  log "chromium $(chromium --version 2>/dev/null | awk '{print $2}') at $(command -v chromium)"
}

# kube-apiserver is built from source the first time (~12 min on 2 cores, cached in ~/.cache/rootgraph):
# then the control plane comes up in the background so typecheck, lint and the other suites run meanwhile;
# the cluster-watch test waits for it (var/run/kubernetes-up.pid). With the cache it starts in the foreground.
up_kubernetes() {
  local bin="${RG_KUBE_CACHE:-$HOME/.cache/rootgraph/kubernetes}/${RG_KUBE_VERSION:-v1.32.13}/bin"
  if [[ -x "$bin/kube-apiserver" && -x "$bin/kube-controller-manager" ]]; then
    bash "$ROOT/scripts/k8s/cluster.sh" up
    return
  fi
  if [[ -f "$RUN/kubernetes-up.pid" ]] && kill -0 "$(cat "$RUN/kubernetes-up.pid")" 2>/dev/null; then
    log "kubernetes is already being built and started (log: $VAR/log/kubernetes-up.log)"
    return 0
  fi
  log "building kube-apiserver in the background (first run only, ~12 min); log: $VAR/log/kubernetes-up.log"
  start_bg kubernetes-up bash "$ROOT/scripts/k8s/cluster.sh" up
}

down_one() {
  if [[ "$1" == kubernetes ]]; then
    down_one kubernetes-up
    bash "$ROOT/scripts/k8s/cluster.sh" down
    return 0
  fi
  local pidfile="$RUN/$1.pid"
  [[ -f "$pidfile" ]] || return 0
  local pid; pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    log "$1 stopped"
  fi
  rm -f "$pidfile"
}

status_one() {
  local port
  if [[ "$1" == chromium ]]; then
    if command -v chromium >/dev/null; then echo "chromium installed $(command -v chromium)"; else echo "chromium missing"; fi
    return 0
  fi
  if [[ "$1" == kubernetes ]]; then
    bash "$ROOT/scripts/k8s/cluster.sh" status
    return 0
  fi
  case "$1" in neo4j) port=$NEO4J_PORT ;; redis) port=$REDIS_PORT ;; prometheus) port=$PROM_PORT ;; alertmanager) port=$AM_PORT ;; esac
  if port_open "$port"; then echo "$1 up 127.0.0.1:$port"; else echo "$1 down"; fi
}

cmd="${1:-}"; shift || true
services=("$@"); ((${#services[@]})) || services=("${ALL[@]}")
case "$cmd" in
  up) for s in "${services[@]}"; do "up_$s"; done ;;
  down) for s in "${services[@]}"; do down_one "$s"; done ;;
  status) for s in "${services[@]}"; do status_one "$s"; done ;;
  *) echo "usage: $0 up|down|status [${ALL[*]}]" >&2; exit 2 ;;
esac
