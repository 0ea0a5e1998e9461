"""helm test: submit an `add` task through the API (to HOTPOT_TEST_QUEUE) and wait for SUCCESS."""
import json
import os
import sys
import time
import urllib.error
import urllib.request

base = os.environ["HOTPOT_API_URL"].rstrip("/")
timeout = int(os.environ.get("HOTPOT_TEST_TIMEOUT", "120"))
queue = os.environ.get("HOTPOT_TEST_QUEUE", "default")
headers = {"Content-Type": "application/json", "Accept": "application/json"}
if os.environ.get("HOTPOT_TEST_API_KEY"):
    headers["Authorization"] = "Bearer " + os.environ["HOTPOT_TEST_API_KEY"]


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, json.loads(r.read() or b"{}")


try:
    status, task = call("POST", "/api/tasks", {"type": "add", "args": {"x": 2, "y": 3}, "queue": queue})
except urllib.error.HTTPError as e:
    sys.exit(f"FAIL POST /api/tasks: {e.code} {e.read().decode(errors='replace')}")
print(f"submitted {task.get('id')} ({status} {task.get('status')})")
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    _, task = call("GET", f"/api/tasks/{task['id']}")
    if task.get("status") == "SUCCESS":
        print(f"ok   task {task['id']} SUCCESS, result {task.get('result')}")
        sys.exit(0)
    if task.get("status") in ("FAILURE", "REVOKED"):
        sys.exit(f"FAIL task {task['id']} ended {task.get('status')}: {task.get('error')}")
    time.sleep(1)
sys.exit(f"FAIL task {task['id']} still {task.get('status')} after {timeout}s")
