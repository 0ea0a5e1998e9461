{{- define "hotpot.scheduler.env" -}}
{{- with .root -}}
{{ include "hotpot.env.rabbitmq" . }}
{{ include "hotpot.env.redis" . }}
{{- with include "hotpot.env.mail" . }}
{{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "hotpot.scheduler.terminationGrace" -}}30{{- end -}}
