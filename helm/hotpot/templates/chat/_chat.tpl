{{- define "hotpot.chat.env" -}}
{{- with .root -}}
{{ include "hotpot.env.redis" . }}
{{ include "hotpot.env.jwtVerify" . }}
- name: HOTPOT_CHAT_ALLOW_ANONYMOUS
  value: {{ .Values.chat.allowAnonymous | quote }}
{{- if .Values.chat.allowedOrigins }}
- name: HOTPOT_CHAT_ALLOWED_ORIGINS
  value: {{ .Values.chat.allowedOrigins | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "hotpot.chat.terminationGrace" -}}{{ .Values.chat.terminationGracePeriodSeconds }}{{- end -}}
