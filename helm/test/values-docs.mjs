// Checks that every value in a values.yaml has a helm-docs "# --" comment:
// each leaf key (a scalar, a list or {}), unless a parent map already has one.
// Usage: node values-docs.mjs helm/hotpot/values.yaml
import fs from 'node:fs';

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n');
const stack = [];  // { indent, documented }
const missing = [];
let comments = [];
const indentOf = (l) => l.length - l.trimStart().length;
const nextContent = (i) => {
    for (let j = i + 1; j < lines.length; j++) {
        const t = lines[j].trim();
        if (t && !t.startsWith('#')) return lines[j];
    }
    return '';
};
lines.forEach((line, i) => {
    const t = line.trim();
    if (t.startsWith('#')) { comments.push(t); return; }
    if (!t) { comments = []; return; }
    const m = /^(\s*)([A-Za-z0-9_.\/"-]+):(.*)$/.exec(line);
    const indent = indentOf(line);
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    if (!m || t.startsWith('-')) { comments = []; return; }
    const documented = comments.some((c) => c.startsWith('# --'));
    comments = [];
    const inherited = stack.some((s) => s.documented);
    const next = nextContent(i);
    const isMap = m[3].trim() === '' && indentOf(next) > indent && !next.trim().startsWith('-');
    if (!isMap && !documented && !inherited) missing.push(`line ${i + 1}: ${t}`);
    stack.push({ indent, documented });
});
for (const m of missing) console.log(`no "# --" comment: ${m}`);
console.log(`${missing.length} undocumented values`);
process.exit(missing.length ? 1 : 0);
