/**
 * The test's side of the real control plane that `scripts/services.sh up kubernetes` starts: where its
 * kubeconfig is, whether it answers (waiting while a first build is still running), raw API calls that
 * play the kubelet (bind pods, patch their status), and killing/restarting the API server.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VAR = process.env.ROOTGRAPH_VAR ?? `${ROOT}var`;
export const KUBECONFIG = process.env.ROOTGRAPH_TEST_KUBECONFIG ?? `${VAR}/k8s/kubeconfig`;

/** Calls the API server; resolves with status and parsed body (never throws for HTTP errors). */
export async function api(
  kc: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: unknown }> {
  const url = new URL(kc.getCurrentCluster()!.server + path);
  const opts: https.RequestOptions = { method, headers: { 'Content-Type': contentType, Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(opts);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

/** A Pod or Deployment as the tests read it back. */
export interface PodJson {
  metadata: { name: string };
  spec: {
    nodeName?: string;
    containers: Array<{ name: string; image: string }>;
    template?: { spec: { containers: Array<{ name: string; image: string }> } };
  };
  status?: { phase?: string };
}

/** Throws unless the call succeeded; the body typed as the caller expects. */
export async function must<T = PodJson & { items: PodJson[] }>(
  kc: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
): Promise<T> {
  const r = await api(kc, method, path, body, contentType);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status}: ${JSON.stringify(r.body).slice(0, 400)}`);
  return r.body as T;
}

async function answers(kc: KubeConfig): Promise<boolean> {
  try {
    return (await api(kc, 'GET', '/readyz')).status === 200;
  } catch {
    return false;
  }
}

const alive = (pidFile: string) => {
  if (!existsSync(pidFile)) return false;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The kubeconfig when the API server answers; waits (up to `waitMs`) while services.sh is still building
 * and starting it in the background; else the reason it is not there.
 */
export async function clusterOrReason(
  waitMs = Number(process.env.ROOTGRAPH_K8S_WAIT_MS ?? 25 * 60_000),
): Promise<KubeConfig | string> {
  const deadline = Date.now() + waitMs;
  const building = `${VAR}/run/kubernetes-up.pid`;
  for (;;) {
    if (existsSync(KUBECONFIG)) {
      const kc = new KubeConfig();
      kc.loadFromFile(KUBECONFIG);
      if (await answers(kc)) return kc;
    }
    if (!alive(building) || Date.now() > deadline)
      return existsSync(KUBECONFIG)
        ? `the API server in ${KUBECONFIG} does not answer (start it: scripts/services.sh up kubernetes)`
        : `no kubeconfig at ${KUBECONFIG} (start the control plane: scripts/services.sh up kubernetes)`;
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

/** Kills the API server (SIGKILL, as a crash) and returns once its port is closed. */
export function killApiServer(): void {
  const pid = Number(readFileSync(`${VAR}/run/kube-apiserver.pid`, 'utf8'));
  process.kill(pid, 'SIGKILL');
}

/** Starts whatever part of the control plane is down and waits until it answers. */
export function restartControlPlane(): void {
  execFileSync('bash', [`${ROOT}scripts/k8s/cluster.sh`, 'up'], { stdio: 'ignore', timeout: 180_000 });
}

/** Polls `probe` until it returns a truthy value (or throws the last reason after `ms`). */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  ms = 180_000,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
