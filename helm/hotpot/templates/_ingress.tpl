{{/*
Routes from outside the cluster. Only what a browser or an API client needs is routed: /api,
the pages and their assets to api-service, /ws/ to chat-service. Nothing else is, so
/q/ (health, metrics, OpenAPI, Swagger UI) stays inside the cluster; Prometheus scrapes it
there. Ingress Prefix and Gateway PathPrefix match whole path segments (/api matches /api and
/api/tasks, not /apix), so no rule below matches /q/....
*/}}
{{- define "hotpot.routes" -}}
{{- toJson (dict
      "api" (list
        (dict "path" "/api" "type" "Prefix")
        (dict "path" "/assets" "type" "Prefix")
        (dict "path" "/chat" "type" "Prefix")
        (dict "path" "/dashboard" "type" "Prefix")
        (dict "path" "/signin.html" "type" "Exact")
        (dict "path" "/" "type" "Exact"))
      "chat" (list (dict "path" "/ws/" "type" "Prefix"))) -}}
{{- end -}}

{{/* Whether the Ingresses serve HTTPS (and wss): TLS on and a host to hold a certificate for. */}}
{{- define "hotpot.ingressTls" -}}
{{- $i := .Values.ingress -}}
{{- if and $i.enabled $i.tls.enabled $i.host -}}
{{- if not (or $i.tls.certManager.enabled $i.tls.secretName) -}}
{{- fail (printf "ingress.host is set, so the Ingresses serve TLS: set ingress.tls.certManager.enabled=true (with ingress.tls.certManager.issuerName), or ingress.tls.secretName=<a TLS Secret of %s>, or ingress.tls.enabled=false for plain http and ws" $i.host) -}}
{{- end -}}
true
{{- end -}}
{{- end -}}

{{- define "hotpot.tlsSecretName" -}}
{{- .Values.ingress.tls.secretName | default (printf "%s-tls" (include "hotpot.fullname" .)) -}}
{{- end -}}

{{/*
One Ingress per backend so each gets its own annotations (the WebSocket timeouts apply to
/ws/ alone): (dict "root" $ "component" "chat" "annotations" dict). Both share the host and the
TLS secret; ingress-nginx merges them. The chart's annotations are ingress-nginx's; the user's
ingress.annotations win over them, key by key.
*/}}
{{- define "hotpot.ingress" -}}
{{- $root := .root -}}
{{- $i := $root.Values.ingress -}}
{{- if $i.enabled }}
{{- $tls := include "hotpot.ingressTls" $root }}
{{- $annotations := .annotations }}
{{- if $tls }}
{{- $_ := set $annotations "nginx.ingress.kubernetes.io/ssl-redirect" "true" }}
{{- end }}
{{- $annotations = merge (dict) $i.annotations $annotations }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "hotpot.componentName" . }}
  labels:
    {{- include "hotpot.labels" . | nindent 4 }}
  {{- with $annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with $i.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- if $tls }}
  tls:
    - hosts:
        - {{ $i.host | quote }}
      secretName: {{ include "hotpot.tlsSecretName" $root }}
  {{- end }}
  rules:
    {{- if $i.host }}
    - host: {{ $i.host | quote }}
      http:
    {{- else }}
    - http:
    {{- end }}
        paths:
          {{- range index (include "hotpot.routes" $root | fromJson) .component }}
          - path: {{ .path }}
            pathType: {{ .type }}
            backend:
              service:
                name: {{ include "hotpot.componentName" (dict "root" $root "component" $.component) }}
                port:
                  name: http
          {{- end }}
{{- end }}
{{- end -}}
