// A stand-in for the Kubernetes API server, just enough for Helm's `lookup`:
// discovery of the kinds the chart renders, and GET of the Secrets given.
// Used by run.sh to render an upgrade (`helm template --dry-run=server`) as if
// the release's Secret already existed, with no cluster.
//
// Usage: node fake-apiserver.mjs PORTFILE [SECRET.json ...]
//   Listens on a free port of 127.0.0.1 and writes it to PORTFILE. Every
//   request is logged on stderr as "GET /path". Anything not served is a 404
//   Status, as the real server answers for a missing object.
import fs from 'node:fs';
import http from 'node:http';

const [portFile, ...secretFiles] = process.argv.slice(2);
const secrets = new Map();
for (const f of secretFiles) {
    const s = JSON.parse(fs.readFileSync(f, 'utf8'));
    secrets.set(`/api/v1/namespaces/${s.metadata.namespace}/secrets/${s.metadata.name}`, s);
}

// group/version -> kinds (resource name = lower-case plural), enough to map every rendered object.
const KINDS = {
    v1: ['Secret', 'Service', 'ConfigMap', 'ServiceAccount', 'Pod'],
    'apps/v1': ['Deployment', 'StatefulSet'],
    'networking.k8s.io/v1': ['Ingress', 'NetworkPolicy'],
    'policy/v1': ['PodDisruptionBudget'],
    'autoscaling/v2': ['HorizontalPodAutoscaler'],
    'gateway.networking.k8s.io/v1': ['HTTPRoute'],
    'monitoring.coreos.com/v1': ['ServiceMonitor', 'PodMonitor'],
    'keda.sh/v1alpha1': ['ScaledObject'],
    'cert-manager.io/v1': ['Certificate'],
};
const plural = (kind) => kind.toLowerCase().replace(/y$/, 'ie') + (kind.endsWith('s') ? 'es' : 's');
const resources = (gv) => ({
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv,
    resources: KINDS[gv].map((kind) => ({
        name: plural(kind), singularName: kind.toLowerCase(), namespaced: true, kind,
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    })),
});
const groups = Object.keys(KINDS).filter((gv) => gv.includes('/')).map((gv) => {
    const [name, version] = gv.split('/');
    return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
});

const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    console.error(`${req.method} ${path}`);
    const send = (code, body) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 405 });
    if (path === '/version') return send(200, { major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' });
    if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis') return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    if (path === '/api/v1') return send(200, resources('v1'));
    const gv = path.startsWith('/apis/') && path.split('/').slice(2).join('/');
    if (gv && KINDS[gv]) return send(200, resources(gv));
    if (secrets.has(path)) return send(200, secrets.get(path));
    // Helm's release records (Secrets listed by label): none, a first upgrade's history aside.
    if (/^\/api\/v1\/namespaces\/[^/]+\/secrets$/.test(path)) {
        return send(200, { kind: 'SecretList', apiVersion: 'v1', metadata: {}, items: [] });
    }
    return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${path} not found` });
});
server.listen(0, '127.0.0.1', () => fs.writeFileSync(portFile, String(server.address().port)));
