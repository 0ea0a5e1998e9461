{{- define "hotpot.worker.env" -}}
{{ include "hotpot.env.rabbitmq" . }}
{{ include "hotpot.env.redis" . }}
- name: HOTPOT_WORKER_QUEUES
  value: {{ join "," .Values.worker.queues | quote }}
- name: HOTPOT_WORKER_CONCURRENCY
  value: {{ .Values.worker.concurrency | quote }}
{{- if .Values.worker.cpuThreads }}
- name: HOTPOT_WORKER_CPU_THREADS
  value: {{ .Values.worker.cpuThreads | quote }}
{{- end }}
- name: HOTPOT_WORKER_SHUTDOWN_GRACE
  value: {{ printf "%ds" (int .Values.worker.shutdownGraceSeconds) | quote }}
{{- if .Values.worker.keda.enabled }}
# Read by KEDA (hostFromEnv), not by Hotpot: the broker address without credentials.
- name: KEDA_RABBITMQ_HOST
  value: {{ printf "amqp://%s:%v/" (include "hotpot.rabbitmqHost" .) .Values.rabbitmq.port | quote }}
{{- end }}
{{- with include "hotpot.env.mail" . }}
{{ . }}
{{- end }}
{{- end -}}

{{/* Longer than the shutdown grace, so Kubernetes never kills a task the
     worker is still letting finish. */}}
{{- define "hotpot.worker.terminationGrace" -}}{{ add (int .Values.worker.shutdownGraceSeconds) 30 }}{{- end -}}
