{{- define "hotpot.scheduler.env" -}}
{{ include "hotpot.env.rabbitmq" . }}
{{ include "hotpot.env.redis" . }}
{{- with include "hotpot.env.mail" . }}
{{ . }}
{{- end }}
{{- end -}}

{{- define "hotpot.scheduler.terminationGrace" -}}30{{- end -}}
