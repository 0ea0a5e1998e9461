"""helm test: can RabbitMQ and Redis be reached with the configured credentials?

Standard library only. The passwords come from the environment exactly as
stored in the Secret; nothing is put into a URI, so a password full of
#$%@:/ is tested the way the services use it.
"""
import os
import socket
import struct
import sys


def amqp_login(host, port, user, password, vhost="/"):
    """AMQP 0-9-1 handshake up to Connection.Open-Ok with PLAIN auth."""
    with socket.create_connection((host, port), timeout=10) as s:
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


def redis_ping(host, port, user, password):
    def cmd(*parts):
        out = b"*%d\r\n" % len(parts)
        for p in parts:
            b = p.encode()
            out += b"$%d\r\n%s\r\n" % (len(b), b)
        return out

    with socket.create_connection((host, port), timeout=10) as s:
        f = s.makefile("rb")
        if password:
            s.sendall(cmd("AUTH", user, password) if user else cmd("AUTH", password))
            line = f.readline().strip()
            if not line.startswith(b"+OK"):
                raise RuntimeError(f"AUTH refused: {line.decode(errors='replace')}")
        s.sendall(cmd("PING"))
        line = f.readline().strip()
        if line != b"+PONG":
            raise RuntimeError(f"PING answered {line.decode(errors='replace')}")


def main():
    failed = 0
    checks = []
    if os.environ.get("RABBITMQ_HOST"):
        checks.append(("RabbitMQ", lambda: amqp_login(
            os.environ["RABBITMQ_HOST"], int(os.environ.get("RABBITMQ_PORT", "5672")),
            os.environ.get("RABBITMQ_USERNAME", ""), os.environ.get("RABBITMQ_PASSWORD", ""))))
    if os.environ.get("REDIS_HOST"):
        checks.append(("Redis", lambda: redis_ping(
            os.environ["REDIS_HOST"], int(os.environ.get("REDIS_PORT", "6379")),
            os.environ.get("REDIS_USERNAME", ""), os.environ.get("REDIS_PASSWORD", ""))))
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
