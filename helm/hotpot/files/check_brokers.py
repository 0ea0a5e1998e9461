"""helm test: can RabbitMQ and Redis be reached with the configured credentials?

Standard library only. The settings are the services' own environment
(RABBITMQ_*, REDIS_*): one broker or a list of nodes (RABBITMQ_ADDRESSES),
a standalone Redis, Sentinels (asked for their primary, which is then
checked) or Redis Cluster nodes (each must say cluster_state:ok), over TLS
with the mounted CA and client keys when *_TLS_ENABLED is true (the chain is
checked, not the host name, as the services' clients do). The passwords
come from the environment exactly as stored in the Secret; nothing is put
into a URI, so a password full of #$%@:/ is tested the way the services use it.
"""
import os
import socket
import ssl
import struct
import sys


def tls_context(prefix):
    """The TLS context of RABBITMQ_ or REDIS_, or None when TLS is off."""
    if os.environ.get(prefix + "TLS_ENABLED", "").lower() != "true":
        return None
    ctx = ssl.create_default_context(cafile=os.environ.get(prefix + "TLS_CA") or None)
    ctx.check_hostname = False  # the chain against the CA, as the services' clients check it
    if os.environ.get(prefix + "TLS_CERT"):
        ctx.load_cert_chain(os.environ[prefix + "TLS_CERT"], os.environ.get(prefix + "TLS_KEY") or None)
    return ctx


def connect(host, port, tls):
    s = socket.create_connection((host, port), timeout=10)
    return tls.wrap_socket(s) if tls else s


def addresses(text):
    """'host:port,host:port' (IPv6 in brackets) as (host, port) pairs."""
    out = []
    for item in text.split(","):
        item = item.strip()
        if item:
            host, _, port = item.rpartition(":")
            out.append((host.strip("[]"), int(port)))
    return out


def amqp_login(host, port, user, password, tls=None, vhost="/"):
    """AMQP 0-9-1 handshake up to Connection.Open-Ok with PLAIN auth."""
    with connect(host, port, tls) as s:
        s.sendall(b"AMQP\x00\x00\x09\x01")
        f = s.makefile("rb")

        def frame():
            try:
                head = f.read(7)
            except ConnectionResetError:
                head = b""
            if len(head) < 7:
                raise RuntimeError("connection closed by broker (wrong user or password?)")
            kind, channel, size = struct.unpack(">BHI", head)
            body = f.read(size)
            f.read(1)  # frame end
            return kind, body

        def method(cls, mid, args):
            payload = struct.pack(">HH", cls, mid) + args
            s.sendall(struct.pack(">BHI", 1, 0, len(payload)) + payload + b"\xce")

        def shortstr(v):
            b = v.encode()
            return struct.pack(">B", len(b)) + b

        def longstr(b):
            return struct.pack(">I", len(b)) + b

        def expect(cls, mid, what):
            _, body = frame()
            got = struct.unpack(">HH", body[:4])
            if got == (10, 50):  # Connection.Close
                code = struct.unpack(">H", body[4:6])[0]
                text = body[7:7 + body[6]].decode(errors="replace")
                raise RuntimeError(f"broker refused at {what}: {code} {text}")
            if got != (cls, mid):
                raise RuntimeError(f"unexpected method {got} at {what}")
            return body[4:]

        expect(10, 10, "start")
        creds = b"\x00" + user.encode() + b"\x00" + password.encode()
        method(10, 11, longstr(b"") + shortstr("PLAIN") + longstr(creds) + shortstr("en_US"))
        tune = expect(10, 30, "login")
        channel_max, frame_max, heartbeat = struct.unpack(">HIH", tune[:8])
        method(10, 31, struct.pack(">HIH", channel_max, frame_max, 0))
        method(10, 40, shortstr(vhost) + shortstr("") + b"\x00")
        expect(10, 41, "open vhost")
        method(10, 50, struct.pack(">H", 200) + shortstr("bye") + struct.pack(">HH", 0, 0))


def redis_session(host, port, user, password, tls=None):
    """A connection, authenticated when there is a password; call(*parts) sends a command and reads its answer."""
    s = connect(host, port, tls)
    f = s.makefile("rb")

    def call(*parts):
        out = b"*%d\r\n" % len(parts)
        for p in parts:
            b = p.encode()
            out += b"$%d\r\n%s\r\n" % (len(b), b)
        s.sendall(out)
        return read()

    def read():
        line = f.readline()
        if not line:
            raise RuntimeError("connection closed by the server")
        kind, rest = line[:1], line[1:].strip()
        if kind == b"-":
            raise RuntimeError(rest.decode(errors="replace"))
        if kind in (b"+", b":"):
            return rest.decode(errors="replace")
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            data = f.read(size + 2)[:-2]
            return data.decode(errors="replace")
        if kind == b"*":
            size = int(rest)
            return None if size < 0 else [read() for _ in range(size)]
        raise RuntimeError(f"unexpected answer {line!r}")

    if password:
        try:
            call(*(("AUTH", user, password) if user else ("AUTH", password)))
        except RuntimeError as e:
            s.close()
            raise RuntimeError(f"AUTH refused: {e}")
    return s, call


def redis_ping(host, port, user, password, tls=None):
    s, call = redis_session(host, port, user, password, tls)
    with s:
        answer = call("PING")
        if answer != "PONG":
            raise RuntimeError(f"PING answered {answer}")


def redis_sentinel_primary(host, port, user, password, master, tls=None):
    """The primary a Sentinel names for the master set, as (host, port)."""
    s, call = redis_session(host, port, user, password, tls)
    with s:
        answer = call("SENTINEL", "get-master-addr-by-name", master)
    if not answer:
        raise RuntimeError(f"the Sentinel knows no master set named '{master}' (redis.masterName)")
    return answer[0], int(answer[1])


def redis_cluster_node(host, port, user, password, tls=None):
    s, call = redis_session(host, port, user, password, tls)
    with s:
        info = call("CLUSTER", "INFO")
    state = dict(line.split(":", 1) for line in info.splitlines() if ":" in line).get("cluster_state")
    if state != "ok":
        raise RuntimeError(f"cluster_state is {state}, not ok")


def some_of(name, nodes, check):
    """Checks every node; ok while one answers (the clients fail over), each one's failure printed."""
    failures = []
    for host, port in nodes:
        try:
            check(host, port)
            print(f"ok   {name} {host}:{port}")
        except Exception as e:
            failures.append(f"{host}:{port}: {e}")
            print(f"warn {name} {host}:{port}: {e}")
    if len(failures) == len(nodes):
        raise RuntimeError("no node answered: " + "; ".join(failures))


def rabbitmq_check():
    user = os.environ.get("RABBITMQ_USERNAME", "")
    password = os.environ.get("RABBITMQ_PASSWORD", "")
    tls = tls_context("RABBITMQ_")
    if os.environ.get("RABBITMQ_ADDRESSES"):
        nodes = addresses(os.environ["RABBITMQ_ADDRESSES"])
        return lambda: some_of("RabbitMQ node", nodes, lambda h, p: amqp_login(h, p, user, password, tls))
    host, port = os.environ["RABBITMQ_HOST"], int(os.environ.get("RABBITMQ_PORT", "5672"))
    return lambda: amqp_login(host, port, user, password, tls)


def redis_check():
    user = os.environ.get("REDIS_USERNAME", "")
    password = os.environ.get("REDIS_PASSWORD", "")
    tls = tls_context("REDIS_")
    mode = os.environ.get("REDIS_MODE", "standalone")
    if mode == "sentinel":
        master = os.environ.get("REDIS_MASTER_NAME", "mymaster")

        def through_sentinel(host, port):
            primary = redis_sentinel_primary(host, port, user, password, master, tls)
            redis_ping(*primary, user, password, tls)
            print(f"ok   its primary of '{master}' at {primary[0]}:{primary[1]} accepts the credentials")

        nodes = addresses(os.environ.get("REDIS_ADDRESSES", ""))
        return lambda: some_of("Redis Sentinel", nodes, through_sentinel)
    if mode == "cluster":
        nodes = addresses(os.environ.get("REDIS_ADDRESSES", ""))
        return lambda: some_of("Redis Cluster node", nodes,
                               lambda h, p: redis_cluster_node(h, p, user, password, tls))
    host, port = os.environ["REDIS_HOST"], int(os.environ.get("REDIS_PORT", "6379"))
    return lambda: redis_ping(host, port, user, password, tls)


def main():
    failed = 0
    checks = []
    if os.environ.get("RABBITMQ_HOST") or os.environ.get("RABBITMQ_ADDRESSES"):
        checks.append(("RabbitMQ", rabbitmq_check()))
    if os.environ.get("REDIS_HOST") or os.environ.get("REDIS_ADDRESSES"):
        checks.append(("Redis", redis_check()))
    for name, check in checks:
        try:
            check()
            print(f"ok   {name} reachable, credentials accepted")
        except Exception as e:  # report every broker, then fail
            failed += 1
            print(f"FAIL {name}: {e}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
