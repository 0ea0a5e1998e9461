{{- define "hotpot.api.env" -}}
{{- with .root -}}
{{ include "hotpot.env.rabbitmq" . }}
{{ include "hotpot.env.redis" . }}
{{ include "hotpot.env.jwtVerify" . }}
{{ include "hotpot.secretEnv" (dict "root" . "name" "SMALLRYE_JWT_SIGN_KEY" "key" "jwt-private-key" "optional" (not .Values.auth.enabled)) }}
{{ include "hotpot.secretEnv" (dict "root" . "name" "HOTPOT_AUTH_API_KEYS" "key" "api-keys" "optional" true) }}
{{- with .Values.auth.rateLimit }}
- name: HOTPOT_AUTH_RATE_LIMIT_ENABLED
  value: {{ .enabled | quote }}
- name: HOTPOT_AUTH_RATE_LIMIT_TASKS_RATE
  value: {{ .tasks.rate | quote }}
- name: HOTPOT_AUTH_RATE_LIMIT_TASKS_BURST
  value: {{ .tasks.burst | quote }}
- name: HOTPOT_AUTH_RATE_LIMIT_TOKENS_RATE
  value: {{ .tokens.rate | quote }}
- name: HOTPOT_AUTH_RATE_LIMIT_TOKENS_BURST
  value: {{ .tokens.burst | quote }}
{{- end }}
- name: HOTPOT_CATALOGUE_RETENTION
  value: {{ .Values.api.catalogue.retention | quote }}
- name: HOTPOT_CATALOGUE_QUEUES
  value: {{ join "," .Values.worker.queues | quote }}
{{- with .Values.api.catalogue.types }}
- name: HOTPOT_CATALOGUE_TYPES
  value: {{ toJson . | quote }}
{{- end }}
{{- with .Values.auth.corsOrigins }}
- name: QUARKUS_HTTP_CORS_ORIGINS
  value: {{ join "," . | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "hotpot.api.terminationGrace" -}}30{{- end -}}
