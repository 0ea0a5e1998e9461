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

{{- define "hotpot.env.rabbitmq" -}}
- name: RABBITMQ_HOST
  value: {{ include "hotpot.rabbitmqHost" . | quote }}
- name: RABBITMQ_PORT
  value: {{ .Values.rabbitmq.port | quote }}
- name: RABBITMQ_USERNAME
  value: {{ .Values.rabbitmq.username | quote }}
{{ include "hotpot.secretEnv" (dict "root" . "name" "RABBITMQ_PASSWORD" "key" "rabbitmq-password") }}
{{- end -}}

{{- define "hotpot.env.redis" -}}
- name: REDIS_HOST
  value: {{ include "hotpot.redisHost" . | quote }}
- name: REDIS_PORT
  value: {{ .Values.redis.port | quote }}
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
