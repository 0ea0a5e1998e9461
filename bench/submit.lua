-- wrk script: POST an `add` task (bench/tasks-wrk.sh).
wrk.method = "POST"
wrk.body = '{"type":"add","args":{"x":2,"y":3}}'
wrk.headers["Content-Type"] = "application/json"
