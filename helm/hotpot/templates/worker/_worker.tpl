{{/*
The worker Deployments. A replica consumes exactly one queue (hotpot.worker.queue,
docs/decisions/0002-rabbitmq-messaging.md), so worker.queues becomes one Deployment per
queue, like Celery workers started with different -Q, each with its own PDB and KEDA
ScaledObject. Takes (dict "root" $ "out" (dict)) and sets out.instances to a list of
  (dict "queue" <queue> "name" <Deployment name> "label" <hotpot.io/queue value>
        "values" <worker.* with worker.queueOverrides.<queue> applied>).
Names are <fullname>-worker-<queue> with '_' and '.' turned into '-'; one longer than a
DNS label (63) is cut and ends in 8 hex digits of the queue's sha256, so two long queues
never share it. Fails when two queues would still share a name or a label, or an override
names a queue that is not listed.
*/}}
{{- define "hotpot.worker.instances" -}}
{{- $root := .root -}}
{{- $w := $root.Values.worker -}}
{{- $overrides := $w.queueOverrides | default dict -}}
{{- $base := include "hotpot.componentName" (dict "root" $root "component" "worker") -}}
{{- $names := dict -}}
{{- $labels := dict -}}
{{- $instances := list -}}
{{- range $q := $w.queues -}}
{{- $name := printf "%s-%s" $base (regexReplaceAll "-+$" ($q | replace "_" "-" | replace "." "-") "") -}}
{{- if gt (len $name) 63 -}}
{{- $name = printf "%s-%s" (regexReplaceAll "-+$" (trunc 54 $name) "") (sha256sum $q | trunc 8) -}}
{{- end -}}
{{- /* A label value is at most 63 characters and ends in a letter or digit. */ -}}
{{- $label := regexReplaceAll "[-_.]+$" (trunc 63 $q) "" -}}
{{- with get $names $name -}}
{{- fail (printf "worker.queues: %q and %q would both make the worker Deployment %s (Kubernetes names turn '_' and '.' into '-'); rename one of the queues" . $q $name) -}}
{{- end -}}
{{- with get $labels $label -}}
{{- fail (printf "worker.queues: %q and %q would both be labelled hotpot.io/queue=%s (a label value is at most 63 characters and ends in a letter or digit); rename one of the queues" . $q $label) -}}
{{- end -}}
{{- $_ := set $names $name $q -}}
{{- $_ := set $labels $label $q -}}
{{- $values := deepCopy $w -}}
{{- range $key, $value := get $overrides $q | default dict -}}
{{- if eq $key "keda" -}}
{{- range $k, $v := $value }}{{ $_ := set $values.keda $k $v }}{{ end -}}
{{- else -}}
{{- $_ := set $values $key $value -}}
{{- end -}}
{{- end -}}
{{- if and $values.keda.enabled (gt (int $values.keda.minReplicas) (int $values.keda.maxReplicas)) -}}
{{- fail (printf "worker.keda: minReplicas %v is above maxReplicas %v for the queue %q (worker.keda, worker.queueOverrides)" $values.keda.minReplicas $values.keda.maxReplicas $q) -}}
{{- end -}}
{{- $instances = append $instances (dict "queue" $q "name" $name "label" $label "values" $values) -}}
{{- end -}}
{{- range $q, $_ := $overrides -}}
{{- if not (has $q $w.queues) -}}
{{- fail (printf "worker.queueOverrides.%s: the queue %q is not in worker.queues (%s)" $q $q (join ", " $w.queues)) -}}
{{- end -}}
{{- end -}}
{{- $_ := set .out "instances" $instances -}}
{{- end -}}

{{/* Environment of one worker Deployment: (dict "root" $ "component" "worker" "instance" ...). */}}
{{- define "hotpot.worker.env" -}}
{{- $root := .root -}}
{{- $v := .instance.values -}}
{{ include "hotpot.env.rabbitmq" $root }}
{{ include "hotpot.env.redis" $root }}
- name: HOTPOT_WORKER_QUEUE
  value: {{ .instance.queue | quote }}
- name: HOTPOT_WORKER_CONCURRENCY
  value: {{ $v.concurrency | quote }}
{{- if $v.cpuThreads }}
- name: HOTPOT_WORKER_CPU_THREADS
  value: {{ $v.cpuThreads | quote }}
{{- end }}
- name: HOTPOT_WORKER_SHUTDOWN_GRACE
  value: {{ printf "%ds" (int $root.Values.worker.shutdownGraceSeconds) | quote }}
{{- if $root.Values.worker.keda.enabled }}
# Read by KEDA (hostFromEnv), not by Hotpot: the broker address without credentials.
- name: KEDA_RABBITMQ_HOST
  value: {{ printf "%s://%s/" (ternary "amqps" "amqp" $root.Values.rabbitmq.tls.enabled) (include "hotpot.rabbitmqEndpoint" $root) | quote }}
{{- end }}
{{- with include "hotpot.env.mail" $root }}
{{ . }}
{{- end }}
{{- end -}}

{{/* Longer than the shutdown grace, so Kubernetes never kills a task the
     worker is still letting finish. */}}
{{- define "hotpot.worker.terminationGrace" -}}{{ add (int .Values.worker.shutdownGraceSeconds) 30 }}{{- end -}}
