// Checks the worker objects of one rendered scenario against the queues its values ask for.
// A worker replica consumes exactly one queue (docs/decisions/0002-rabbitmq-messaging.md), so
// the chart makes one Deployment per entry of worker.queues; this proves, per scenario:
//   - one worker Deployment per queue, its name a DNS label, HOTPOT_WORKER_QUEUE set to its queue
//     (and no HOTPOT_WORKER_QUEUES), concurrency and replicas from worker.queueOverrides.<queue>
//     or worker.*; its selector carries hotpot.io/queue, matches its own pods and no other's;
//   - with KEDA one ScaledObject per Deployment, aimed at it, with one rabbitmq trigger on
//     hotpot.queue.<its queue> and its own min/max; without KEDA none;
//   - one PDB per Deployment (when worker.pdb.enabled) selecting exactly that Deployment's pods;
//   - the worker Service, NetworkPolicy, ServiceMonitor and the PodMonitor select every worker pod.
//
// Usage: node workers.mjs CHART/values.yaml USER-values.yaml RENDERED.yaml [RENDERED.yaml ...]
// Env:   HOTPOT_NODE_MODULES (for yaml). Prints one line per problem; the last line is a summary.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.HOTPOT_NODE_MODULES
    || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../.hotpot/tools/node/node_modules');
const YAML = await import(pathToFileURL(path.join(modules, 'yaml/dist/index.js')).href);

const [chartValues, userValues, ...rendered] = process.argv.slice(2);
const chart = YAML.parse(fs.readFileSync(chartValues, 'utf8')).worker;
const user = YAML.parse(fs.readFileSync(userValues, 'utf8'))?.worker ?? {};
const objects = rendered.flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(f, 'utf8')).map((d) => d.toJS()))
    .filter(Boolean);

const problems = [];
const problem = (text) => problems.push(text);
const pick = (...values) => values.find((v) => v !== undefined);

const queues = user.queues ?? chart.queues;
const overrides = user.queueOverrides ?? {};
const kedaOn = pick(user.keda?.enabled, chart.keda.enabled);
const pdbOn = pick(user.pdb?.enabled, chart.pdb.enabled);
const setting = (q, key) => pick(overrides[q]?.[key], user[key], chart[key]);
const kedaSetting = (q, key) => pick(overrides[q]?.keda?.[key], user.keda?.[key], chart.keda[key]);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const isWorker = (o) => o.metadata?.labels?.['app.kubernetes.io/component'] === 'worker';
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const envOf = (d) => d.spec.template.spec.containers[0].env ?? [];
const envValue = (d, name) => envOf(d).find((e) => e.name === name)?.value;

const deployments = objects.filter((o) => o.kind === 'Deployment' && isWorker(o));
const byQueue = new Map();
for (const d of deployments) {
    const name = d.metadata.name;
    const q = envValue(d, 'HOTPOT_WORKER_QUEUE');
    if (!DNS_LABEL.test(name)) problem(`Deployment/${name}: the name is not a DNS label`);
    if (envOf(d).some((e) => e.name === 'HOTPOT_WORKER_QUEUES')) problem(`Deployment/${name}: still sets HOTPOT_WORKER_QUEUES`);
    if (envOf(d).filter((e) => e.name === 'HOTPOT_WORKER_QUEUE').length !== 1) {
        problem(`Deployment/${name}: HOTPOT_WORKER_QUEUE is set ${envOf(d).filter((e) => e.name === 'HOTPOT_WORKER_QUEUE').length} times, not once`);
        continue;
    }
    if (byQueue.has(q)) problem(`Deployment/${name}: the queue ${q} already has Deployment/${byQueue.get(q).metadata.name}`);
    byQueue.set(q, d);
    const selector = d.spec.selector.matchLabels;
    const queueLabel = selector?.['hotpot.io/queue'];
    if (!queueLabel) problem(`Deployment/${name}: no hotpot.io/queue in its selector`);
    else if (!LABEL_VALUE.test(queueLabel)) problem(`Deployment/${name}: hotpot.io/queue=${queueLabel} is not a valid label value`);
    if (!matches(selector, d.spec.template.metadata.labels)) problem(`Deployment/${name}: its selector does not match its own pods`);
    for (const other of deployments) {
        if (other !== d && matches(selector, other.spec.template.metadata.labels)) {
            problem(`Deployment/${name}: its selector also matches the pods of Deployment/${other.metadata.name}`);
        }
    }
    if (!queues.includes(q)) { problem(`Deployment/${name}: consumes ${q}, which is not in worker.queues`); continue; }
    if (envValue(d, 'HOTPOT_WORKER_CONCURRENCY') !== String(setting(q, 'concurrency'))) {
        problem(`Deployment/${name}: HOTPOT_WORKER_CONCURRENCY is ${envValue(d, 'HOTPOT_WORKER_CONCURRENCY')}, not ${setting(q, 'concurrency')}`);
    }
    if (kedaOn ? d.spec.replicas !== undefined : d.spec.replicas !== setting(q, 'replicas')) {
        problem(`Deployment/${name}: replicas ${d.spec.replicas}, expected ${kedaOn ? 'none (KEDA scales it)' : setting(q, 'replicas')}`);
    }
}
for (const q of queues) if (!byQueue.has(q)) problem(`no worker Deployment consumes the queue ${q}`);

const scaled = objects.filter((o) => o.kind === 'ScaledObject' && isWorker(o));
if (!kedaOn && scaled.length) problem(`${scaled.length} worker ScaledObjects with worker.keda.enabled false`);
if (kedaOn) {
    const targets = new Set();
    for (const s of scaled) {
        const name = s.metadata.name;
        const target = deployments.find((d) => d.metadata.name === s.spec.scaleTargetRef.name);
        if (!target) { problem(`ScaledObject/${name}: scales ${s.spec.scaleTargetRef.name}, no worker Deployment`); continue; }
        if (targets.has(target)) problem(`ScaledObject/${name}: a second ScaledObject for Deployment/${target.metadata.name}`);
        targets.add(target);
        const q = envValue(target, 'HOTPOT_WORKER_QUEUE');
        const triggers = s.spec.triggers ?? [];
        if (triggers.length !== 1 || triggers[0].type !== 'rabbitmq' || triggers[0].metadata.queueName !== `hotpot.queue.${q}`) {
            problem(`ScaledObject/${name}: triggers ${JSON.stringify(triggers.map((t) => t.metadata?.queueName))}, not the one rabbitmq trigger on hotpot.queue.${q}`);
        }
        for (const [field, key] of [['minReplicaCount', 'minReplicas'], ['maxReplicaCount', 'maxReplicas']]) {
            if (s.spec[field] !== kedaSetting(q, key)) problem(`ScaledObject/${name}: ${field} ${s.spec[field]}, not ${kedaSetting(q, key)}`);
        }
        if (triggers[0]?.metadata.value !== String(kedaSetting(q, 'queueLength'))) {
            problem(`ScaledObject/${name}: value ${triggers[0]?.metadata.value}, not ${kedaSetting(q, 'queueLength')}`);
        }
    }
    for (const d of deployments) if (!targets.has(d)) problem(`Deployment/${d.metadata.name}: no ScaledObject`);
}

const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget' && isWorker(o));
if (pdbOn) {
    for (const d of deployments) {
        const own = pdbs.filter((p) => matches(p.spec.selector.matchLabels, d.spec.template.metadata.labels));
        if (own.length !== 1) problem(`Deployment/${d.metadata.name}: ${own.length} PDBs select its pods, not 1`);
    }
    for (const p of pdbs) {
        const covered = deployments.filter((d) => matches(p.spec.selector.matchLabels, d.spec.template.metadata.labels));
        if (covered.length !== 1) problem(`PodDisruptionBudget/${p.metadata.name}: selects the pods of ${covered.length} Deployments, not 1`);
    }
} else if (pdbs.length) problem(`${pdbs.length} worker PDBs with worker.pdb.enabled false`);

// The objects that stand for the worker as a whole select every worker pod.
const selectorOf = (o) => (o.kind === 'Service' ? o.spec.selector
    : o.kind === 'NetworkPolicy' ? o.spec.podSelector.matchLabels : o.spec.selector.matchLabels);
const wholes = objects.filter((o) => ['Service', 'NetworkPolicy', 'ServiceMonitor'].includes(o.kind) && isWorker(o));
for (const o of wholes) {
    for (const d of deployments) {
        if (!matches(selectorOf(o), d.spec.template.metadata.labels)) {
            problem(`${o.kind}/${o.metadata.name}: does not select the pods of Deployment/${d.metadata.name}`);
        }
    }
}
for (const o of objects.filter((x) => x.kind === 'PodMonitor')) {
    const components = (o.spec.selector.matchExpressions ?? []).find((e) => e.key === 'app.kubernetes.io/component')?.values ?? [];
    for (const d of deployments) {
        if (!matches(o.spec.selector.matchLabels, d.spec.template.metadata.labels) || !components.includes('worker')) {
            problem(`PodMonitor/${o.metadata.name}: does not select the pods of Deployment/${d.metadata.name}`);
        }
    }
}
if (!wholes.some((o) => o.kind === 'Service')) problem('no worker Service');

problems.forEach((p) => console.log(p));
console.log(`${deployments.length} worker Deployments (${[...byQueue.keys()].join(', ')}), ${scaled.length} ScaledObjects, `
    + `${pdbs.length} PDBs, ${wholes.length} whole-worker objects, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
