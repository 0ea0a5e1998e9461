{{/* Names --------------------------------------------------------------- */}}

{{- define "hotpot.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hotpot.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "hotpot.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Name of a component's objects: (dict "root" $ "component" "api") */}}
{{- define "hotpot.componentName" -}}
{{- printf "%s-%s" (include "hotpot.fullname" .root | trunc 52 | trimSuffix "-") .component -}}
{{- end -}}

{{/* Name of a Deployment (or its PDB, ScaledObject): the instance's when the component
     has several (the worker, one per queue), else the component's. */}}
{{- define "hotpot.objectName" -}}
{{- with .instance -}}{{ .name }}{{- else -}}{{ include "hotpot.componentName" . }}{{- end -}}
{{- end -}}

{{- define "hotpot.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "hotpot.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Labels: (dict "root" $ "component" "api") ---------------------------- */}}

{{- define "hotpot.labels" -}}
helm.sh/chart: {{ include "hotpot.chart" .root }}
{{ include "hotpot.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: hotpot
{{- end -}}

{{- define "hotpot.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hotpot.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- with .instance }}
hotpot.io/queue: {{ .label }}
{{- end }}
{{- end -}}

{{/* Images ---------------------------------------------------------------- */}}

{{/* (dict "root" $ "component" "api") -> <registry>/hotpot/api-service:<tag> */}}
{{- define "hotpot.image" -}}
{{- $values := index .root.Values .component -}}
{{- $g := .root.Values.global.image -}}
{{- $repo := $values.image.repository | default (printf "%s/hotpot/%s-service" $g.registry .component) -}}
{{- printf "%s:%s" $repo ($g.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{/* Brokers --------------------------------------------------------------- */}}

{{- define "hotpot.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "hotpot.fullname" .) -}}
{{- end -}}

{{- define "hotpot.rabbitmqHost" -}}
{{- if .Values.rabbitmq.inChart.enabled -}}
{{- include "hotpot.componentName" (dict "root" . "component" "rabbitmq") -}}
{{- else -}}
{{- required "rabbitmq.host is required: the host of your RabbitMQ (or set rabbitmq.inChart.enabled=true)" .Values.rabbitmq.host -}}
{{- end -}}
{{- end -}}

{{/* One RabbitMQ node as host:port (the first of rabbitmq.addresses), for KEDA, which takes one. */}}
{{- define "hotpot.rabbitmqEndpoint" -}}
{{- if .Values.rabbitmq.addresses -}}
{{- first .Values.rabbitmq.addresses -}}
{{- else -}}
{{- printf "%s:%v" (include "hotpot.rabbitmqHost" .) .Values.rabbitmq.port -}}
{{- end -}}
{{- end -}}

{{- define "hotpot.redisHost" -}}
{{- if .Values.redis.inChart.enabled -}}
{{- include "hotpot.componentName" (dict "root" . "component" "redis") -}}
{{- else -}}
{{- required "redis.host is required: the host of your Redis (or set redis.inChart.enabled=true)" .Values.redis.host -}}
{{- end -}}
{{- end -}}

{{/* Whether the Redis password env var is set: always with an existing Secret
     (optional key), else only when a password is given. */}}
{{- define "hotpot.redisHasPassword" -}}
{{- if or .Values.secrets.existingSecret .Values.secrets.redisPassword .Values.redis.inChart.enabled -}}true{{- end -}}
{{- end -}}

{{/* Environment ------------------------------------------------------------ */}}

{{- define "hotpot.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "hotpot.secretName" .root }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end -}}

{{/* RabbitMQ settings that cannot work together, refused with what to do instead. */}}
{{- define "hotpot.rabbitmq.check" -}}
{{- $r := .Values.rabbitmq -}}
{{- if and $r.inChart.enabled $r.addresses -}}
{{- fail "rabbitmq.addresses names an external cluster, but rabbitmq.inChart.enabled=true runs one node in the release: set rabbitmq.inChart.enabled=false (or leave rabbitmq.addresses empty)" -}}
{{- end -}}
{{- if and $r.inChart.enabled $r.tls.enabled -}}
{{- fail "rabbitmq.tls.enabled: the in-chart RabbitMQ has no TLS listener; use it with an external RabbitMQ (rabbitmq.inChart.enabled=false)" -}}
{{- end -}}
{{- if and $r.tls.enabled (not $r.tls.existingSecret) -}}
{{- fail "rabbitmq.tls.enabled needs rabbitmq.tls.existingSecret: a Secret with ca.crt (and tls.crt, tls.key with rabbitmq.tls.clientCertificate)" -}}
{{- end -}}
{{- if and $r.tls.enabled .Values.worker.keda.enabled -}}
{{- fail "worker.keda.enabled with rabbitmq.tls.enabled: KEDA's RabbitMQ scaler needs the CA through a TriggerAuthentication, which this chart does not make; scale workers with worker.replicas instead" -}}
{{- end -}}
{{- end -}}

{{- define "hotpot.env.rabbitmq" -}}
{{- include "hotpot.rabbitmq.check" . -}}
{{- if .Values.rabbitmq.addresses }}
- name: RABBITMQ_ADDRESSES
  value: {{ join "," .Values.rabbitmq.addresses | quote }}
{{- else }}
- name: RABBITMQ_HOST
  value: {{ include "hotpot.rabbitmqHost" . | quote }}
- name: RABBITMQ_PORT
  value: {{ .Values.rabbitmq.port | quote }}
{{- end }}
- name: RABBITMQ_QUEUE_TYPE
  value: {{ .Values.rabbitmq.queueType | quote }}
- name: RABBITMQ_DELIVERY_LIMIT
  value: {{ .Values.rabbitmq.deliveryLimit | quote }}
{{- if .Values.rabbitmq.tls.enabled }}
- name: RABBITMQ_TLS_ENABLED
  value: "true"
- name: RABBITMQ_TLS_CA
  value: /deployments/tls/rabbitmq/ca.crt
{{- if .Values.rabbitmq.tls.clientCertificate }}
- name: RABBITMQ_TLS_CERT
  value: /deployments/tls/rabbitmq/tls.crt
- name: RABBITMQ_TLS_KEY
  value: /deployments/tls/rabbitmq/tls.key
{{- end }}
{{- end }}
- name: RABBITMQ_USERNAME
  value: {{ .Values.rabbitmq.username | quote }}
{{ include "hotpot.secretEnv" (dict "root" . "name" "RABBITMQ_PASSWORD" "key" "rabbitmq-password") }}
{{- end -}}

{{/* Redis settings that cannot work together, refused with what to do instead. */}}
{{- define "hotpot.redis.check" -}}
{{- $r := .Values.redis -}}
{{- if and $r.inChart.enabled (or (ne $r.mode "standalone") $r.addresses $r.tls.enabled) -}}
{{- fail "redis.mode (sentinel, cluster), redis.addresses and redis.tls are for an external Redis, but redis.inChart.enabled=true runs one standalone server without replicas or TLS in the release: set redis.inChart.enabled=false" -}}
{{- end -}}
{{- if and (eq $r.mode "sentinel") (not $r.addresses) -}}
{{- fail "redis.mode=sentinel needs redis.addresses: the Sentinels, host:port each" -}}
{{- end -}}
{{- if and (eq $r.mode "cluster") (not $r.addresses) -}}
{{- fail "redis.mode=cluster needs redis.addresses: some nodes of the cluster, host:port each" -}}
{{- end -}}
{{- if and (eq $r.mode "standalone") $r.addresses -}}
{{- fail "redis.addresses is for redis.mode=sentinel or cluster; a standalone Redis is redis.host and redis.port" -}}
{{- end -}}
{{- if and $r.tls.enabled (not $r.tls.existingSecret) -}}
{{- fail "redis.tls.enabled needs redis.tls.existingSecret: a Secret with ca.crt (and tls.crt, tls.key with redis.tls.clientCertificate)" -}}
{{- end -}}
{{- end -}}

{{- define "hotpot.env.redis" -}}
{{- include "hotpot.redis.check" . -}}
{{- if eq .Values.redis.mode "standalone" }}
- name: REDIS_HOST
  value: {{ include "hotpot.redisHost" . | quote }}
- name: REDIS_PORT
  value: {{ .Values.redis.port | quote }}
{{- else }}
{{- /* sentinel: the Sentinels; cluster: seed nodes, the client finds the others (CLUSTER SLOTS) */}}
- name: REDIS_MODE
  value: {{ .Values.redis.mode | quote }}
- name: REDIS_ADDRESSES
  value: {{ join "," .Values.redis.addresses | quote }}
{{- if eq .Values.redis.mode "sentinel" }}
- name: REDIS_MASTER_NAME
  value: {{ .Values.redis.masterName | quote }}
{{- end }}
{{- end }}
{{- if .Values.redis.replicaAcks }}
- name: REDIS_REPLICA_ACKS
  value: {{ .Values.redis.replicaAcks | quote }}
{{- end }}
{{- if .Values.redis.tls.enabled }}
- name: REDIS_TLS_ENABLED
  value: "true"
- name: REDIS_TLS_CA
  value: /deployments/tls/redis/ca.crt
{{- if .Values.redis.tls.clientCertificate }}
- name: REDIS_TLS_CERT
  value: /deployments/tls/redis/tls.crt
- name: REDIS_TLS_KEY
  value: /deployments/tls/redis/tls.key
{{- end }}
{{- end }}
{{- if .Values.redis.username }}
- name: REDIS_USERNAME
  value: {{ .Values.redis.username | quote }}
{{- end }}
{{- if include "hotpot.redisHasPassword" . }}
{{ include "hotpot.secretEnv" (dict "root" . "name" "REDIS_PASSWORD" "key" "redis-password" "optional" (not (or .Values.redis.inChart.enabled .Values.secrets.redisPassword))) }}
{{- end }}
{{- end -}}

{{- define "hotpot.env.jwtVerify" -}}
- name: HOTPOT_AUTH_ENABLED
  value: {{ .Values.auth.enabled | quote }}
- name: MP_JWT_VERIFY_ISSUER
  value: {{ .Values.auth.jwtIssuer | quote }}
{{ include "hotpot.secretEnv" (dict "root" . "name" "MP_JWT_VERIFY_PUBLICKEY" "key" "jwt-public-key" "optional" (not .Values.auth.enabled)) }}
{{- end -}}

{{- define "hotpot.env.mail" -}}
{{- if .Values.mail.host }}
- name: QUARKUS_MAILER_HOST
  value: {{ .Values.mail.host | quote }}
- name: QUARKUS_MAILER_PORT
  value: {{ .Values.mail.port | quote }}
- name: QUARKUS_MAILER_USERNAME
  value: {{ .Values.mail.username | quote }}
{{ include "hotpot.secretEnv" (dict "root" . "name" "QUARKUS_MAILER_PASSWORD" "key" "mail-password" "optional" true) }}
- name: QUARKUS_MAILER_FROM
  value: {{ .Values.mail.from | quote }}
- name: HOTPOT_REPORT_TO
  value: {{ .Values.mail.reportTo | quote }}
{{- end }}
{{- end -}}

{{/* Properties file of a component: (dict "root" $ "component" "scheduler") */}}
{{- define "hotpot.properties" -}}
# Generated by the Hotpot Helm chart from values.{{ .component }}.config{{ if eq .component "scheduler" }} and values.scheduler.schedules{{ end }}.
{{- $values := index .root.Values .component }}
{{- range $key, $value := $values.config }}
{{ $key }}={{ $value | toString | replace "\\" "\\\\" }}
{{- end }}
{{- if eq .component "scheduler" }}
{{- range $name, $s := $values.schedules }}
{{- $p := printf "hotpot.schedules.\"%s\"" $name }}
{{- range $field := list "cron" "timezone" "every" "at" "enabled" "missed" }}
{{- if hasKey $s $field }}
{{ $p }}.{{ $field }}={{ index $s $field | toString }}
{{- end }}
{{- end }}
{{- with $s.task }}
{{- if .type }}
{{ $p }}.task.type={{ .type }}
{{- end }}
{{- if hasKey . "args" }}
{{ $p }}.task.args={{ if kindIs "string" .args }}{{ .args | replace "\\" "\\\\" }}{{ else }}{{ .args | toJson | replace "\\" "\\\\" }}{{ end }}
{{- end }}
{{- if .queue }}
{{ $p }}.task.queue={{ .queue }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Pod scaffolding ----------------------------------------------------- */}}

{{- define "hotpot.podSecurityContext" -}}
{{- toYaml .Values.global.podSecurityContext -}}
{{- end -}}

{{- define "hotpot.containerSecurityContext" -}}
{{- toYaml .Values.global.containerSecurityContext -}}
{{- end -}}
