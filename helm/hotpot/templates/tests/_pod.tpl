{{/* A helm test pod: (dict "root" $ "name" "brokers" "script" "check_brokers.py" "env" yaml "weight" "0" "tls" bool); tls mounts the brokers' CA and client keys */}}
{{- define "hotpot.testPod" -}}
{{- $root := .root -}}
{{- $ctx := dict "root" $root "component" "test" -}}
apiVersion: v1
kind: Pod
metadata:
  name: {{ printf "%s-%s" (include "hotpot.componentName" $ctx) .name }}
  labels:
    {{- include "hotpot.labels" $ctx | nindent 4 }}
  annotations:
    helm.sh/hook: test
    helm.sh/hook-weight: {{ .weight | quote }}
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    runAsUser: 65534
    runAsGroup: 65534
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: {{ .name }}
      image: {{ $root.Values.tests.image | quote }}
      imagePullPolicy: {{ $root.Values.global.image.pullPolicy }}
      command: ["python3", "/scripts/{{ .script }}"]
      env:
        - name: PYTHONDONTWRITEBYTECODE
          value: "1"
        {{- .env | nindent 8 }}
      resources:
        requests:
          cpu: 10m
          memory: 32Mi
        limits:
          memory: 64Mi
      securityContext:
        {{- include "hotpot.containerSecurityContext" $root | nindent 8 }}
      volumeMounts:
        - name: scripts
          mountPath: /scripts
          readOnly: true
        {{- if .tls }}
        {{- with include "hotpot.tlsMounts" (dict "root" $root "rabbitmq" $root.Values.rabbitmq.tls.enabled) | trim }}
{{- . | nindent 8 }}
{{- end }}
        {{- end }}
  volumes:
    - name: scripts
      configMap:
        name: {{ include "hotpot.componentName" $ctx }}
    {{- if .tls }}
    {{- with include "hotpot.tlsVolumes" (dict "root" $root "rabbitmq" $root.Values.rabbitmq.tls.enabled) | trim }}
{{- . | nindent 4 }}
{{- end }}
    {{- end }}
{{- end -}}
