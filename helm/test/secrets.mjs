// Checks of the credentials the chart generates, on rendered manifests.
//
//   node secrets.mjs extract RENDERED.yaml RELEASE NAMESPACE OUT.json
//       writes the chart's Secret as the API server returns it after `helm install` (with
//       Helm's ownership annotations) for fake-apiserver.mjs
//   node secrets.mjs generated RENDERED.yaml
//       the generated values are usable: the JWT pair is a PKCS#8 RSA private key and its
//       SPKI public key (they sign and verify RS256), the api-keys line holds the SHA-256 of
//       admin-api-key and test-api-key
//   node secrets.mjs fresh A.yaml B.yaml
//       two installs share no value: every Secret value differs (nothing fixed in the chart)
//   node secrets.mjs kept INSTALL.yaml UPGRADE.yaml [KEY=PLAINTEXT ...]
//       the upgrade kept every value of the install's Secret (except the KEY=PLAINTEXT ones,
//       which must now be PLAINTEXT), and the pods' checksum/secret annotations agree with it
// Env: HOTPOT_NODE_MODULES (for yaml). Prints the problems; exits 1 when there is any.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.HOTPOT_NODE_MODULES
    || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../.hotpot/tools/node/node_modules');
const YAML = await import(pathToFileURL(path.join(modules, 'yaml/dist/index.js')).href);

const objects = (file) => YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter(Boolean);
const secretOf = (file) => {
    const found = objects(file).filter((o) => o.kind === 'Secret');
    if (found.length !== 1) throw new Error(`${file}: expected one Secret, found ${found.length}`);
    return found[0];
};
const plain = (s, key) => Buffer.from(s.data[key] || '', 'base64').toString('utf8');
const checksums = (file) => Object.fromEntries(objects(file).filter((o) => o.kind === 'Deployment')
    .map((d) => [d.metadata.name, d.spec.template.metadata.annotations?.['checksum/secret']]));

const problems = [];
const [cmd, ...args] = process.argv.slice(2);

if (cmd === 'extract') {
    const [file, release, namespace, out] = args;
    const s = secretOf(file);
    s.metadata.namespace = namespace;
    s.metadata.annotations = { ...s.metadata.annotations,
        'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': namespace };
    fs.writeFileSync(out, JSON.stringify(s));
} else if (cmd === 'generated') {
    const s = secretOf(args[0]);
    const privPem = plain(s, 'jwt-private-key');
    const pubPem = plain(s, 'jwt-public-key');
    if (!privPem.startsWith('-----BEGIN PRIVATE KEY-----\n')) problems.push('jwt-private-key is not a PKCS#8 PEM');
    if (!pubPem.startsWith('-----BEGIN PUBLIC KEY-----\n')) problems.push('jwt-public-key is not an SPKI PEM');
    try {
        const priv = crypto.createPrivateKey({ key: privPem, format: 'pem' });
        const pub = crypto.createPublicKey({ key: pubPem, format: 'pem' });
        if (priv.asymmetricKeyType !== 'rsa' || priv.asymmetricKeyDetails.modulusLength < 2048) {
            problems.push(`jwt-private-key: ${priv.asymmetricKeyType} ${priv.asymmetricKeyDetails.modulusLength} bits`);
        }
        if (priv.export({ type: 'pkcs8', format: 'pem' }) !== privPem) problems.push('jwt-private-key does not round-trip as PKCS#8');
        if (crypto.createPublicKey(priv).export({ type: 'spki', format: 'pem' }) !== pubPem) {
            problems.push('jwt-public-key is not the public key of jwt-private-key');
        }
        const sig = crypto.sign('sha256', Buffer.from('hotpot'), priv);
        if (!crypto.verify('sha256', Buffer.from('hotpot'), pub, sig)) problems.push('RS256 signature does not verify');
    } catch (e) {
        problems.push(`JWT key pair: ${e.message}`);
    }
    const keys = plain(s, 'api-keys').split(',');
    const sha = (x) => crypto.createHash('sha256').update(x).digest('hex');
    for (const [name, key, roles] of [['admin', 'admin-api-key', 'admin'], ['helm-test', 'test-api-key', 'submit+read']]) {
        const secret = plain(s, key);
        if (secret.length < 40) problems.push(`${key} is shorter than 40 characters`);
        if (!keys.includes(`${name}:${sha(secret)}:${roles}`)) problems.push(`api-keys has no ${name}:sha256(${key}):${roles}`);
    }
    for (const key of ['rabbitmq-password', 'redis-password']) {
        if (plain(s, key).length < 32) problems.push(`${key} is shorter than 32 characters`);
    }
} else if (cmd === 'fresh') {
    const [a, b] = args.map(secretOf);
    for (const key of Object.keys(a.data)) {
        if (a.data[key] === b.data[key]) problems.push(`${key} is the same in two installs: a fixed value`);
    }
} else if (cmd === 'kept') {
    const [installFile, upgradeFile, ...overrides] = args;
    const before = secretOf(installFile);
    const after = secretOf(upgradeFile);
    const changed = Object.fromEntries(overrides.map((o) => [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)]));
    for (const key of new Set([...Object.keys(before.data), ...Object.keys(after.data)])) {
        if (key in changed) {
            if (plain(after, key) !== changed[key]) problems.push(`${key}: the upgrade did not take the given value`);
        } else if (before.data[key] !== after.data[key]) {
            problems.push(`${key}: changed by the upgrade`);
        }
    }
    // The pods must see the Secret the upgrade applies: its checksum, same on every Deployment.
    const sums = checksums(upgradeFile);
    if (new Set(Object.values(sums)).size !== 1) problems.push(`checksum/secret differs between Deployments: ${JSON.stringify(sums)}`);
    if (!overrides.length) {
        const first = checksums(installFile);
        for (const [name, sum] of Object.entries(sums)) {
            if (first[name] !== sum) problems.push(`${name}: checksum/secret changed, the upgrade would restart its pods`);
        }
    }
} else {
    console.error('usage: secrets.mjs extract|generated|fresh|kept ...');
    process.exit(2);
}
for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
