// Validates rendered Kubernetes manifests offline.
//
// Usage: node validate.mjs FILE.yaml [FILE.yaml ...]
// Env:   HOTPOT_NODE_MODULES  folder holding kubernetes-models and yaml
//
// Built-in kinds are checked with the validators that kubernetes-models
// compiles from the Kubernetes OpenAPI schemas (types, required fields,
// enums, formats). Those validators ignore unknown fields, so every object is
// handed to them behind a Proxy that records which property names the
// validator looks up on each object. A typed object that the validator
// inspected but whose own key it never asked for holds an unknown or
// misspelled field (`replica:`, `protocl:`). Maps (labels, data, ...) are
// walked key by key by the validator, so their keys count as looked up.
// Objects the validator never inspects at all are free-form and skipped.
//
// Gateway API HTTPRoutes and Prometheus Operator ServiceMonitors/PodMonitors are
// checked the same way against their published schemas (@kubernetes-models/*;
// their CEL rules are not evaluated). KEDA and cert-manager objects are checked
// against the small hand-written shapes in CRD_SHAPES below. Names, label keys and values, and
// a Deployment's selector against its pods are checked as the API server would.
//
// Prints one line per problem, "FILE: Kind/name: path: message", and exits 1
// when there is any.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.HOTPOT_NODE_MODULES
    || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../.hotpot/tools/node/node_modules');
const load = (p) => import(pathToFileURL(path.join(modules, p)).href);
const YAML = await load('yaml/dist/index.js');

// apiVersion group -> the word kubernetes-models uses in schema names.
function schemaName(apiVersion, kind) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const word = group === '' ? 'Core' : group.split('.')[0];
    const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
    return `IoK8sApi${cap(word)}${cap(version)}${kind}`;
}

// CRDs whose published OpenAPI schemas kubernetes-models compiles as well ("apiVersion kind" ->
// module file): checked like the built-in kinds, unknown fields included.
const CRD_SCHEMAS = {
    'gateway.networking.k8s.io/v1 HTTPRoute': '@kubernetes-models/gateway-api/_schemas/IoK8sSigsGatewayApiApisV1HTTPRoute.js',
    'monitoring.coreos.com/v1 ServiceMonitor':
        '@kubernetes-models/prometheus-operator/_schemas/ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceMonitor.js',
    'monitoring.coreos.com/v1 PodMonitor':
        '@kubernetes-models/prometheus-operator/_schemas/ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PodMonitor.js',
};

async function builtinValidator(apiVersion, kind) {
    const crd = CRD_SCHEMAS[`${apiVersion} ${kind}`];
    const file = crd ? path.join(modules, crd)
        : path.join(modules, 'kubernetes-models/_schemas', `${schemaName(apiVersion, kind)}.js`);
    if (!fs.existsSync(file)) return null;
    return (await import(pathToFileURL(file).href)).validate;
}

// --- unknown-field detection -------------------------------------------------

function track(root) {
    const seen = new WeakMap();  // original object -> { asked: Set, listed: bool }
    const proxies = new WeakMap();
    const wrap = (value) => {
        if (value === null || typeof value !== 'object') return value;
        if (proxies.has(value)) return proxies.get(value);
        const rec = { asked: new Set(), listed: false };
        seen.set(value, rec);
        const proxy = new Proxy(value, {
            get(target, prop, receiver) {
                if (typeof prop === 'string') rec.asked.add(prop);
                return wrap(Reflect.get(target, prop, receiver));
            },
            has(target, prop) {
                if (typeof prop === 'string') rec.asked.add(prop);
                return Reflect.has(target, prop);
            },
            ownKeys(target) {
                rec.listed = true;
                return Reflect.ownKeys(target);
            },
            getOwnPropertyDescriptor(target, prop) {
                return Reflect.getOwnPropertyDescriptor(target, prop);
            },
        });
        proxies.set(value, proxy);
        return proxy;
    };
    return { proxy: wrap(root), seen };
}

function unknownFields(obj, seen, at = '') {
    const out = [];
    if (obj === null || typeof obj !== 'object') return out;
    if (Array.isArray(obj)) {
        obj.forEach((v, i) => out.push(...unknownFields(v, seen, `${at}/${i}`)));
        return out;
    }
    const rec = seen.get(obj);
    if (!rec) return out;                       // never reached by the validator
    const typed = !rec.listed && rec.asked.size > 0;
    for (const key of Object.keys(obj)) {
        if (typed && !rec.asked.has(key)) {
            out.push(`${at}/${key}: unknown field "${key}"`);
            continue;
        }
        out.push(...unknownFields(obj[key], seen, `${at}/${key}`));
    }
    return out;
}

// --- CRDs --------------------------------------------------------------------

// kind -> { apiVersion, required: paths that must be present, spec: allowed spec keys }
const CRD_SHAPES = {
    ScaledObject: {
        apiVersion: 'keda.sh/v1alpha1',
        required: ['metadata.name', 'spec.scaleTargetRef.name', 'spec.triggers'],
        spec: ['scaleTargetRef', 'pollingInterval', 'cooldownPeriod', 'idleReplicaCount', 'initialCooldownPeriod',
            'minReplicaCount', 'maxReplicaCount', 'fallback', 'advanced', 'triggers'],
        check: (o) => (o.spec.triggers || []).flatMap((t, i) => [
            ...(t.type ? [] : [`/spec/triggers/${i}/type: required`]),
            ...(t.metadata && typeof t.metadata === 'object' ? [] : [`/spec/triggers/${i}/metadata: required`]),
            ...Object.keys(t).filter((k) => !['type', 'name', 'metadata', 'authenticationRef', 'metricType', 'useCachedMetrics']
                .includes(k)).map((k) => `/spec/triggers/${i}/${k}: unknown field "${k}"`),
        ]),
    },
    TriggerAuthentication: {
        apiVersion: 'keda.sh/v1alpha1',
        required: ['metadata.name', 'spec'],
        spec: ['secretTargetRef', 'env', 'hashiCorpVault', 'azureKeyVault', 'podIdentity', 'configMapTargetRef'],
        check: (o) => (o.spec.secretTargetRef || []).flatMap((r, i) =>
            ['parameter', 'name', 'key'].filter((k) => !r[k]).map((k) => `/spec/secretTargetRef/${i}/${k}: required`)),
    },
    Certificate: {
        apiVersion: 'cert-manager.io/v1',
        required: ['metadata.name', 'spec.secretName', 'spec.issuerRef.name', 'spec.dnsNames'],
        spec: ['secretName', 'issuerRef', 'dnsNames', 'commonName', 'duration', 'renewBefore', 'usages',
            'privateKey', 'secretTemplate'],
    },
};

function get(obj, dotted) {
    return dotted.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function checkCrd(obj) {
    const shape = CRD_SHAPES[obj.kind];
    if (!shape) return [`no schema for ${obj.apiVersion} ${obj.kind}`];
    const errs = [];
    if (obj.apiVersion !== shape.apiVersion) errs.push(`/apiVersion: expected ${shape.apiVersion}, got ${obj.apiVersion}`);
    for (const k of Object.keys(obj)) {
        if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(k)) errs.push(`/${k}: unknown field "${k}"`);
    }
    for (const p of shape.required) {
        if (get(obj, p) === undefined) errs.push(`/${p.replaceAll('.', '/')}: required`);
    }
    if (errs.length) return errs;
    for (const k of Object.keys(obj.spec || {})) {
        if (!shape.spec.includes(k)) errs.push(`/spec/${k}: unknown field "${k}"`);
    }
    return errs.concat(shape.check ? shape.check(obj) : []);
}

// --- names and labels ----------------------------------------------------------
// What the API server checks and the schemas do not: object names (DNS-1123; a label of at
// most 63 for the kinds whose names become pod or DNS names), label keys and values, and a
// Deployment's selector matching its own pods.

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const LABELLED_NAMES = ['Deployment', 'StatefulSet', 'Service', 'Pod'];

function labelProblems(labels, at) {
    const out = [];
    for (const [key, value] of Object.entries(labels ?? {})) {
        const [prefix, name] = key.includes('/') ? key.split(/\/(.*)/s) : [undefined, key];
        if (!LABEL_NAME.test(name) || (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix))) {
            out.push(`${at}: invalid label key "${key}"`);
        }
        if (typeof value !== 'string' || !LABEL_VALUE.test(value)) out.push(`${at}/${key}: invalid label value "${value}"`);
    }
    return out;
}

function nameAndLabelProblems(obj) {
    const out = [];
    const name = obj.metadata.name;
    if (LABELLED_NAMES.includes(obj.kind) ? !DNS_LABEL.test(name) : !DNS_SUBDOMAIN.test(name)) {
        out.push(`/metadata/name: "${name}" is not a DNS-1123 ${LABELLED_NAMES.includes(obj.kind) ? 'label' : 'subdomain'}`);
    }
    out.push(...labelProblems(obj.metadata.labels, '/metadata/labels'));
    const template = obj.spec?.template?.metadata?.labels;
    const selector = obj.spec?.selector?.matchLabels;
    out.push(...labelProblems(template, '/spec/template/metadata/labels'));
    out.push(...labelProblems(selector, '/spec/selector/matchLabels'));
    if (['Deployment', 'StatefulSet'].includes(obj.kind) && selector
            && !Object.entries(selector).every(([k, v]) => template?.[k] === v)) {
        out.push('/spec/selector: does not match the template\'s labels');
    }
    return out;
}

// --- main --------------------------------------------------------------------

export async function validateObject(obj) {
    if (!obj || typeof obj !== 'object') return ['not an object'];
    if (!obj.apiVersion || !obj.kind) return ['apiVersion and kind are required'];
    if (!obj.metadata || !obj.metadata.name) return ['/metadata/name: required'];
    const named = nameAndLabelProblems(obj);
    const validate = await builtinValidator(obj.apiVersion, obj.kind);
    if (!validate) return named.concat(checkCrd(obj));
    const { proxy, seen } = track(obj);
    const errs = [];
    if (!validate(proxy)) {
        for (const e of validate.errors) {
            errs.push(`${e.instancePath || '/'}: ${e.keyword} ${JSON.stringify(e.params)}`);
        }
    }
    return named.concat(errs, unknownFields(obj, seen));
}

async function main(files) {
    let problems = 0;
    let objects = 0;
    for (const file of files) {
        const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
        for (const doc of docs) {
            if (doc.errors.length) {
                console.log(`${file}: YAML: ${doc.errors[0].message}`);
                problems++;
                continue;
            }
            const obj = doc.toJS();
            if (obj == null) continue;
            objects++;
            const name = `${obj.kind}/${obj.metadata?.name}`;
            for (const e of await validateObject(obj)) {
                console.log(`${file}: ${name}: ${e}`);
                problems++;
            }
        }
    }
    console.log(`${objects} objects, ${problems} problems`);
    process.exit(problems ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
    await main(process.argv.slice(2));
}
