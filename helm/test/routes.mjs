// Route checks on rendered manifests.
//
//   node routes.mjs noq FILE.yaml [...]
//       no Ingress or HTTPRoute path can match /q/... (health, metrics, OpenAPI, Swagger UI).
//       Prefix/PathPrefix match whole segments (Kubernetes Ingress and Gateway API both), so a
//       prefix reaches /q/ when it is "/" or "/q" (with or without the slash) or lies below
//       /q/; Exact when it is /q or below; a RegularExpression or ImplementationSpecific path
//       cannot be reasoned about and is refused. Prints "N routes" on success.
//   node routes.mjs get FILE.yaml KIND NAME DOTTED.PATH
//       prints one field of one rendered object as JSON (e.g. metadata.annotations.x), or
//       "undefined"; run.sh compares it with what the values asked for. A segment KEY=VALUE
//       picks the item of a list whose KEY is VALUE (e.g. containers.0.env.name=REDIS_MODE.value).
// Env: HOTPOT_NODE_MODULES (for yaml). Exits 1 on a problem.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.HOTPOT_NODE_MODULES
    || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../.hotpot/tools/node/node_modules');
const YAML = await import(pathToFileURL(path.join(modules, 'yaml/dist/index.js')).href);
const objects = (file) => YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter(Boolean);

function reachesQ(type, p) {
    const trimmed = p.replace(/\/+$/, '') || '/';
    if (type === 'Prefix' || type === 'PathPrefix') return trimmed === '/' || trimmed === '/q' || trimmed.startsWith('/q/');
    if (type === 'Exact') return trimmed === '/q' || trimmed.startsWith('/q/');
    return true;
}

function routesOf(obj) {
    if (obj.kind === 'Ingress') {
        const out = (obj.spec.rules || []).flatMap((r) => (r.http?.paths || []).map((p) => [p.pathType, p.path]));
        if (obj.spec.defaultBackend) out.push(['Prefix', '/']);  // a default backend takes every path
        return out;
    }
    if (obj.kind === 'HTTPRoute') {
        return (obj.spec.rules || []).flatMap((r) => (r.matches?.length ? r.matches : [{}])
            .map((m) => (m.path ? [m.path.type || 'PathPrefix', m.path.value || '/'] : ['PathPrefix', '/'])));
    }
    return [];
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'noq') {
    let n = 0;
    const problems = [];
    for (const file of args) {
        for (const obj of objects(file)) {
            for (const [type, p] of routesOf(obj)) {
                n++;
                if (reachesQ(type, p)) problems.push(`${file}: ${obj.kind}/${obj.metadata.name}: ${type} ${p} reaches /q/`);
            }
        }
    }
    problems.forEach((p) => console.log(p));
    console.log(`${n} routes, ${problems.length} reaching /q/`);
    process.exit(problems.length ? 1 : 0);
} else if (cmd === 'get') {
    const [file, kind, name, dotted] = args;
    const obj = objects(file).find((o) => o.kind === kind && o.metadata.name === name);
    if (!obj) {
        console.log(`no ${kind}/${name}`);
        process.exit(1);
    }
    // Keys may hold dots (annotation names): a segment in [brackets] is taken whole.
    const segments = dotted.match(/\[[^\]]+\]|[^.[\]]+/g).map((s) => s.replace(/^\[|\]$/g, ''));
    const step = (o, k) => {
        if (o == null) return undefined;
        const pick = Array.isArray(o) && k.match(/^([^=]+)=(.*)$/);
        return pick ? o.find((item) => item?.[pick[1]] === pick[2]) : o[k];
    };
    const value = segments.reduce(step, obj);
    console.log(value === undefined ? 'undefined' : JSON.stringify(value));
} else {
    console.error('usage: routes.mjs noq FILE... | get FILE KIND NAME PATH');
    process.exit(2);
}
