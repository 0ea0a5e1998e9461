// Checks the Grafana dashboard shipped in the chart: valid JSON, a unique uid, and every Hotpot
// metric it queries is one the services define (io.hotpot.common.Telemetry, in Prometheus form).
//   node dashboard.mjs helm/hotpot/dashboards/hotpot.json common/src/main/java/io/hotpot/common/Telemetry.java
import { readFileSync } from 'node:fs';

const [dashboardFile, telemetryFile] = process.argv.slice(2);
const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8'));
const problems = [];
if (!dashboard.uid || !dashboard.title) problems.push('the dashboard needs a uid and a title');

// Telemetry constants: COUNTERS end in _total, timers (names of the form hotpot.task.*) in _seconds.
const source = readFileSync(telemetryFile, 'utf8');
const known = new Set();
for (const [, kind, name] of source.matchAll(/\/\*\*\s*(\w+)[^*]*?\*\/\s*public static final String \w+ = "(hotpot\.[a-z.]+)"/gs)) {
    const base = name.replaceAll('.', '_');
    if (kind === 'Counter') known.add(`${base}_total`);
    else if (kind === 'Timer') ['bucket', 'count', 'sum', 'max'].forEach(s => known.add(`${base}_seconds_${s}`));
    else known.add(base);
}
if (known.size === 0) problems.push(`no metric names found in ${telemetryFile}`);

const exprs = [];
const walk = panels => panels.forEach(p => {
    (p.targets || []).forEach(t => exprs.push([p.title, t.expr]));
    walk(p.panels || []);
});
walk(dashboard.panels || []);
if (exprs.length === 0) problems.push('the dashboard has no queries');
for (const [title, expr] of exprs) {
    for (const [metric] of expr.matchAll(/hotpot_[a-z_]+/g)) {
        if (!known.has(metric)) problems.push(`panel "${title}" queries ${metric}, which no service defines`);
    }
}
if (problems.length) {
    problems.forEach(p => console.error(p));
    process.exit(1);
}
console.log(`${exprs.length} queries, all on defined metrics`);
