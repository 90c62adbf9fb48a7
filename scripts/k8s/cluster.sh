#!/usr/bin/env bash
# A real, kubelet-less Kubernetes control plane on loopback for the cluster-watch tests:
# Debian's etcd-server + kube-apiserver + kube-controller-manager (built and cached by build-kube.sh).
# Token auth, RBAC, service-account keys from openssl, --endpoint-reconciler-type=none.
# Writes an admin kubeconfig to $VAR/k8s/kubeconfig. Pods stay Pending (no kubelet): tests patch their status.
# Usage: scripts/k8s/cluster.sh up|down|status      (scripts/services.sh up kubernetes calls it)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="${ROOTGRAPH_VAR:-$ROOT/var}"
K8S="$VAR/k8s"
RUN="$VAR/run"
ETCD_PORT="${RG_ETCD_PORT:-12379}"
ETCD_PEER_PORT="${RG_ETCD_PEER_PORT:-12380}"
API_PORT="${RG_KUBE_API_PORT:-16443}"
CM_PORT="${RG_KUBE_CM_PORT:-20257}"

log() { printf '[k8s] %s\n' "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_bg() { # name command...
  local name="$1"; shift
  mkdir -p "$RUN" "$VAR/log"
  nohup "$@" >"$VAR/log/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}

stop_one() {
  local pidfile="$RUN/$1.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    log "$1 stopped"
  fi
  rm -f "$pidfile"
}

wait_for() { # name seconds command...
  local name="$1" secs="$2" i; shift 2
  for ((i = 0; i < secs * 2; i++)); do "$@" >/dev/null 2>&1 && { log "$name is up"; return 0; }; sleep 0.5; done
  log "$name did not come up within $secs s; its log: $VAR/log/$name.log"
  tail -n 30 "$VAR/log/$name.log" >&2 || true
  return 1
}

install_etcd() {
  command -v etcd >/dev/null && return 0
  log "installing etcd-server from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server >&2 ||
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server >&2; }
  # The package enables a unit on the default ports; ours runs on its own ports, so keep that one off.
  if command -v systemctl >/dev/null; then
    systemctl disable --now etcd >/dev/null 2>&1 || true
    systemctl mask etcd >/dev/null 2>&1 || true
  fi
}

pki() {
  mkdir -p "$K8S/pki"
  cd "$K8S/pki"
  [[ -f ca.crt ]] || {
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj /CN=rootgraph-test-ca 2>/dev/null
  }
  [[ -f apiserver.crt ]] || {
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj /CN=kube-apiserver 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default.svc\n' >san.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 3650 -extfile san.ext 2>/dev/null
  }
  [[ -f sa.key ]] || {
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  }
  [[ -f tokens.csv ]] || {
    printf '%s,admin,admin,"system:masters"\n' "$(openssl rand -hex 16)" >tokens.csv
    chmod 600 tokens.csv
  }
  cd - >/dev/null
}

write_kubeconfig() { # file token
  local ca; ca="$(base64 -w0 <"$K8S/pki/ca.crt")"
  cat >"$1" <<YAML
apiVersion: v1
kind: Config
clusters:
  - name: rootgraph-test
    cluster: { server: "https://127.0.0.1:$API_PORT", certificate-authority-data: "$ca" }
users:
  - name: admin
    user: { token: "$2" }
contexts:
  - name: rootgraph-test
    context: { cluster: rootgraph-test, user: admin }
current-context: rootgraph-test
YAML
  chmod 600 "$1"
}

up() {
  local bin; bin="$("$ROOT/scripts/k8s/build-kube.sh")"
  install_etcd
  pki
  if ! port_open "$ETCD_PORT"; then
    mkdir -p "$K8S/etcd"
    start_bg etcd etcd --name rootgraph --data-dir "$K8S/etcd" \
      --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
      --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
      --initial-cluster "rootgraph=http://127.0.0.1:$ETCD_PEER_PORT" --quota-backend-bytes 2147483648
    wait_for etcd 30 port_open "$ETCD_PORT"
  fi
  local token; token="$(cut -d, -f1 "$K8S/pki/tokens.csv")"
  write_kubeconfig "$K8S/kubeconfig" "$token"
  if ! port_open "$API_PORT"; then
    start_bg kube-apiserver "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
      --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
      --tls-cert-file "$K8S/pki/apiserver.crt" --tls-private-key-file "$K8S/pki/apiserver.key" \
      --client-ca-file "$K8S/pki/ca.crt" --token-auth-file "$K8S/pki/tokens.csv" --authorization-mode RBAC \
      --service-account-key-file "$K8S/pki/sa.pub" --service-account-signing-key-file "$K8S/pki/sa.key" \
      --service-account-issuer https://kubernetes.default.svc.cluster.local \
      --service-cluster-ip-range 10.96.0.0/16 --endpoint-reconciler-type none --allow-privileged \
      --enable-priority-and-fairness=false --profiling=false --v=1
  fi
  wait_for kube-apiserver 120 curl -fsS --cacert "$K8S/pki/ca.crt" -H "Authorization: Bearer $token" \
    "https://127.0.0.1:$API_PORT/readyz"
  if ! port_open "$CM_PORT"; then
    # No kubelets, no cloud: only the controllers that turn Deployments into ReplicaSets and Pods,
    # create default ServiceAccounts and collect garbage. Node lifecycle is off so Pods on the
    # heartbeat-less test Nodes are not evicted.
    start_bg kube-controller-manager "$bin/kube-controller-manager" --kubeconfig "$K8S/kubeconfig" \
      --bind-address 127.0.0.1 --secure-port "$CM_PORT" --leader-elect=false \
      --service-account-private-key-file "$K8S/pki/sa.key" --root-ca-file "$K8S/pki/ca.crt" \
      --controllers 'deployment-controller,replicaset-controller,statefulset-controller,daemonset-controller,job-controller,cronjob-controller,serviceaccount-controller,serviceaccount-token-controller,garbage-collector-controller,namespace-controller,endpointslice-controller' \
      --concurrent-deployment-syncs 2 --v=1
    wait_for kube-controller-manager 60 port_open "$CM_PORT"
  fi
  log "kubeconfig: $K8S/kubeconfig (server https://127.0.0.1:$API_PORT)"
}

down() {
  stop_one kube-controller-manager
  stop_one kube-apiserver
  stop_one etcd
}

status() {
  local s
  for s in etcd:$ETCD_PORT kube-apiserver:$API_PORT kube-controller-manager:$CM_PORT; do
    if port_open "${s#*:}"; then echo "${s%%:*} up 127.0.0.1:${s#*:}"; else echo "${s%%:*} down"; fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
