{{/*
One Ingress per backend so each gets its own nginx-ingress annotations:
(dict "root" $ "component" "chat" "path" "/ws/" "annotations" dict).
Both share the host and the TLS secret; nginx-ingress merges them.
*/}}
{{- define "hotpot.ingress" -}}
{{- $root := .root -}}
{{- $i := $root.Values.ingress -}}
{{- if $i.enabled }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "hotpot.componentName" . }}
  labels:
    {{- include "hotpot.labels" . | nindent 4 }}
  {{- $annotations := merge (dict) .annotations $i.annotations }}
  {{- with $annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with $i.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- if $i.tls.enabled }}
  tls:
    - hosts:
        - {{ required "ingress.host is required when ingress.tls.enabled=true" $i.host | quote }}
      secretName: {{ $i.tls.secretName | default (printf "%s-tls" (include "hotpot.fullname" $root)) }}
  {{- end }}
  rules:
    {{- if $i.host }}
    - host: {{ $i.host | quote }}
      http:
    {{- else }}
    - http:
    {{- end }}
        paths:
          - path: {{ .path }}
            pathType: Prefix
            backend:
              service:
                name: {{ include "hotpot.componentName" . }}
                port:
                  name: http
{{- end }}
{{- end -}}
