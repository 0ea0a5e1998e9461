{{- define "hotpot.api.env" -}}
{{ include "hotpot.env.rabbitmq" . }}
{{ include "hotpot.env.redis" . }}
{{ include "hotpot.env.jwtVerify" . }}
{{ include "hotpot.secretEnv" (dict "root" . "name" "SMALLRYE_JWT_SIGN_KEY" "key" "jwt-private-key" "optional" (not .Values.auth.enabled)) }}
{{ include "hotpot.secretEnv" (dict "root" . "name" "HOTPOT_AUTH_API_KEYS" "key" "api-keys" "optional" true) }}
{{- end -}}

{{- define "hotpot.api.terminationGrace" -}}30{{- end -}}
