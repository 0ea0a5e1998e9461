#!/usr/bin/env python3
"""Checks the JVM images `./hotpot images` wrote (docker save tarballs, as Jib streams them).

    python3 images/check.py target/images/localhost-hotpot-api-service-0.1.0.tar [...]
    HOTPOT_IMAGE_REGISTRY=REGISTRY python3 images/check.py ...   (images pushed to REGISTRY, saved
                                                                  with skopeo copy ... docker-archive:)

For each image: its config runs as uid 185 (non-root) from /deployments with the entrypoint
`java ... -jar quarkus-run.jar`, exposes the port the Helm chart gives the service, and carries
the OCI labels; then its layers are unpacked in order into a root file system and the packaged
application is started from there, with the image's own Java, C library, environment, user and
working directory (chroot in a mount and pid namespace of its own when run as root; otherwise the
image's Java on this machine's C library), and must answer /q/health/started and /q/health/live.
The brokers are pointed at closed ports, so nothing shared is touched: readiness is not checked.
One line per check; exits 1 when any fails.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The chart's ports (helm/hotpot/values.yaml), which the images must expose.
VALUES = open(os.path.join(ROOT, 'helm/hotpot/values.yaml'), encoding='utf-8').read()
# The chart's default registry; HOTPOT_IMAGE_REGISTRY for images pushed elsewhere (--push).
REGISTRY = os.environ.get('HOTPOT_IMAGE_REGISTRY') or re.search(
    r'^global:\n  image:\n(?:    #.*\n)*    registry: *"?([^"\n]*)"?', VALUES, re.M).group(1)
APP_VERSION = re.search(r'^appVersion: *"?([^"\n]+)"?', open(os.path.join(ROOT, 'helm/hotpot/Chart.yaml')).read(), re.M).group(1)
LABELS = ('org.opencontainers.image.title', 'org.opencontainers.image.version',
          'org.opencontainers.image.description', 'io.hotpot.base.java')

failures = 0


def check(ok, what, detail=''):
    global failures
    print(('ok   ' if ok else 'FAIL ') + what + ('' if ok or not detail else f'\n     | {detail}'))
    if not ok:
        failures += 1
    return ok


def chart_port(component):
    block = re.search(rf'^{component}:\n((?:[ #].*\n|\n)*)', VALUES, re.M).group(1)
    return int(re.search(r'^  port: *(\d+)', block, re.M).group(1))


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def unpack(image, manifest, dest):
    """Applies the layers in order, as a container runtime does (whiteouts included)."""
    for layer in manifest['Layers']:
        with tarfile.open(fileobj=image.extractfile(layer), mode='r:*') as lt:
            for member in lt.getmembers():
                base = os.path.basename(member.name)
                if base.startswith('.wh.'):
                    target = os.path.join(dest, os.path.dirname(member.name), base[4:])
                    shutil.rmtree(target, ignore_errors=True) if os.path.isdir(target) else (
                        os.path.lexists(target) and os.remove(target))
                    continue
                # Image layers are trusted here (we built them); Python < 3.11.4 has no filter.
                lt.extract(member, dest, **({'filter': 'fully_trusted'} if hasattr(tarfile, 'data_filter') else {}))


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def start(rootfs, config, name, log):
    port = free_port()
    env = dict(e.split('=', 1) for e in config.get('Env', []))
    env.update({
        'QUARKUS_HTTP_PORT': str(port), 'HOTPOT_AUTH_ENABLED': 'false', 'HOTPOT_CHAT_ALLOW_ANONYMOUS': 'true',
        # Closed ports: the check must not consume, publish or schedule on anyone's brokers.
        'RABBITMQ_HOST': '127.0.0.1', 'RABBITMQ_PORT': '1', 'RABBITMQ_USERNAME': 'x', 'RABBITMQ_PASSWORD': 'x',
        'REDIS_HOST': '127.0.0.1', 'REDIS_PORT': '1', 'HOTPOT_WORKER_QUEUE': f'image-check-{os.getpid()}',
    })
    entrypoint = config['Entrypoint'] + (config.get('Cmd') or [])
    workdir = config['WorkingDir']
    user = config['User']
    if os.geteuid() == 0 and shutil.which('unshare') and shutil.which('chroot'):
        for d in ('proc', 'dev'):
            os.makedirs(os.path.join(rootfs, d), exist_ok=True)
        inner = ' '.join(['exec'] + [shlex_quote(a) for a in entrypoint])
        script = (f'mount --rbind /dev {shlex_quote(rootfs)}/dev && exec env -i '
                  + ' '.join(shlex_quote(f'{k}={v}') for k, v in env.items())
                  + f' {shutil.which("chroot")} --userspec={user}:{user} {shlex_quote(rootfs)}'
                  + f' /bin/sh -c {shlex_quote(f"cd {workdir} && {inner}")}')
        cmd = ['unshare', '--mount', '--pid', '--fork', f'--mount-proc={rootfs}/proc', 'sh', '-c', script]
        how = f'chroot as uid {user}'
    else:
        java = os.path.join(rootfs, env.get('JAVA_HOME', '/opt/java').lstrip('/'), 'bin', 'java')
        cmd = [java] + entrypoint[1:]
        how = "the image's Java on this machine's C library (not root: no chroot)"
        os.makedirs(os.path.join(rootfs, workdir.lstrip('/')), exist_ok=True)
    proc = subprocess.Popen(cmd, env=env if not cmd[0] == 'unshare' else os.environ,
                            cwd=os.path.join(rootfs, workdir.lstrip('/')), stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    return proc, port, how


def stop(proc):
    """Ends the started process group (ours alone: start_new_session), politely first."""
    for sig, wait in ((15, 30), (9, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def shlex_quote(s):
    import shlex
    return shlex.quote(s)


def check_image(path):
    with tarfile.open(path) as image:
        manifest = json.load(image.extractfile('manifest.json'))[0]
        config = json.load(image.extractfile(manifest['Config']))
        tag = manifest['RepoTags'][0]
        m = re.fullmatch(r'(.+/)?hotpot/(api|chat|worker|scheduler)-service:(.+)', tag)
        if not check(m is not None, f'{tag}: named <registry>/hotpot/<component>-service:<tag>'):
            return
        component = m.group(2)
        want = f'{REGISTRY}/hotpot/{component}-service:{APP_VERSION}'
        check(tag == want, f'{tag}: the chart\'s default image for {component} ({REGISTRY} registry, appVersion tag)',
              f'the chart would run {want}')
        c = config['config']
        check(c.get('User') == '185', f'{tag}: runs as uid 185 (non-root)', f"User={c.get('User')!r}")
        check(c.get('WorkingDir') == '/deployments', f'{tag}: working directory /deployments',
              f"WorkingDir={c.get('WorkingDir')!r}")
        ep = c.get('Entrypoint') or []
        check(ep[:1] == ['java'] and ep[-2:] == ['-jar', 'quarkus-run.jar'],
              f'{tag}: entrypoint java ... -jar quarkus-run.jar', f'Entrypoint={ep!r}')
        port = chart_port(component)
        check(list(c.get('ExposedPorts') or {}) == [f'{port}/tcp'], f'{tag}: exposes {port}/tcp (the chart\'s {component}.port)',
              f"ExposedPorts={c.get('ExposedPorts')!r}")
        labels = c.get('Labels') or {}
        missing = [k for k in LABELS if not labels.get(k)]
        check(not missing and labels['org.opencontainers.image.title'] == f'{component}-service'
              and labels['org.opencontainers.image.version'] == APP_VERSION,
              f'{tag}: labels title, version, description (OCI) and the base\'s Java version', f'missing {missing}, labels={labels!r}')

        rootfs = tempfile.mkdtemp(prefix='hotpot-image-')
        os.chmod(rootfs, 0o755)  # the image's / : uid 185 must traverse it
        try:
            unpack(image, manifest, rootfs)
            java = os.path.join(rootfs, 'opt/java/bin/java')
            check(os.path.isfile(os.path.join(rootfs, 'deployments/quarkus-run.jar')) and os.access(java, os.X_OK),
                  f'{tag}: layers hold /deployments/quarkus-run.jar and a Java runtime')
            with open(os.path.join(rootfs, 'start.log'), 'wb') as log:
                proc, hport, how = start(rootfs, c, component, log)
                deadline = time.time() + 120
                started = live = None
                while time.time() < deadline and proc.poll() is None:
                    started = get(f'http://127.0.0.1:{hport}/q/health/started')
                    live = get(f'http://127.0.0.1:{hport}/q/health/live')
                    if started == 200 and live == 200:
                        break
                    time.sleep(0.5)
                exited = proc.poll()
                stop(proc)
            tail = open(os.path.join(rootfs, 'start.log'), errors='replace').read()[-1500:]
            check(started == 200 and live == 200,
                  f'{tag}: the packaged app starts ({how}) and answers /q/health/started and /q/health/live',
                  f'started={started} live={live} exited={exited}; log tail:\n{tail}')
        finally:
            # /dev was bound inside the check's own mount namespace only; never delete through a mount.
            if os.path.ismount(os.path.join(rootfs, 'dev')):
                print(f'     | {rootfs}/dev is still mounted: left in place', file=sys.stderr)
            else:
                shutil.rmtree(rootfs, ignore_errors=True)


def main(paths):
    if not paths:
        print('usage: check.py IMAGE.tar [...]', file=sys.stderr)
        return 2
    for p in paths:
        check_image(p)
    print(f'{len(paths)} images, {failures} failed checks')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
