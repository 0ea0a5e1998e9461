{{/*
Objects every Hotpot service has, shared so the four stay alike. Each takes
(dict "root" $ "component" "api") and reads values.<component>. Deployment and PDB
also take "instance", one of several Deployments of a component (the worker's, one per
queue: hotpot.worker.instances), for its name, its selector label and its values;
hotpot.<component>.env is handed the same dict.
*/}}

{{- define "hotpot.deployment" -}}
{{- $root := .root -}}
{{- $c := .component -}}
{{- $v := index $root.Values $c -}}
{{- with .instance }}{{ $v = .values }}{{ end -}}
{{- $ctx := . -}}
{{- /* chat-service never talks to RabbitMQ: it gets no RabbitMQ TLS material */ -}}
{{- $rabbitTls := and $root.Values.rabbitmq.tls.enabled (ne $c "chat") -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "hotpot.objectName" $ctx }}
  labels:
    {{- include "hotpot.labels" $ctx | nindent 4 }}
spec:
  {{- $scaled := or (and (hasKey $v "autoscaling") $v.autoscaling.enabled) (and (hasKey $v "keda") $v.keda.enabled) }}
  {{- if not $scaled }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "hotpot.selectorLabels" $ctx | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        {{- include "hotpot.selectorLabels" $ctx | nindent 8 }}
        {{- with $root.Values.global.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "hotpot.properties" $ctx | sha256sum }}
        {{- if not $root.Values.secrets.existingSecret }}
        checksum/secret: {{ include (print $root.Template.BasePath "/common/secret.yaml") $root | sha256sum }}
        {{- end }}
        {{- with $root.Values.global.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "hotpot.serviceAccountName" $root }}
      automountServiceAccountToken: {{ $root.Values.serviceAccount.automountServiceAccountToken }}
      {{- with $root.Values.global.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "hotpot.podSecurityContext" $root | nindent 8 }}
      terminationGracePeriodSeconds: {{ include (printf "hotpot.%s.terminationGrace" $c) $root | default 30 }}
      containers:
        - name: {{ $c }}
          image: {{ include "hotpot.image" $ctx | quote }}
          imagePullPolicy: {{ $root.Values.global.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $v.port }}
              protocol: TCP
          env:
            - name: QUARKUS_HTTP_PORT
              value: {{ $v.port | quote }}
            {{- include (printf "hotpot.%s.env" $c) $ctx | nindent 12 }}
            {{- with $root.Values.global.env }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- with $v.env }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/started
              port: http
            periodSeconds: 2
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          {{- if $v.preStopSleepSeconds }}
          lifecycle:
            preStop:
              exec:
                command: ["sleep", {{ $v.preStopSleepSeconds | quote }}]
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- include "hotpot.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /deployments/config
              readOnly: true
            {{- with include "hotpot.tlsMounts" (dict "root" $root "rabbitmq" $rabbitTls) | trim }}
{{- . | nindent 12 }}
{{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        - name: config
          configMap:
            name: {{ include "hotpot.componentName" $ctx }}
        {{- with include "hotpot.tlsVolumes" (dict "root" $root "rabbitmq" $rabbitTls) | trim }}
{{- . | nindent 8 }}
{{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{- define "hotpot.service" -}}
{{- $v := index .root.Values .component -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "hotpot.componentName" . }}
  labels:
    {{- include "hotpot.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "hotpot.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $v.port }}
      targetPort: http
      protocol: TCP
{{- end -}}

{{- define "hotpot.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "hotpot.componentName" . }}
  labels:
    {{- include "hotpot.labels" . | nindent 4 }}
data:
  application.properties: |
    {{- include "hotpot.properties" . | nindent 4 }}
{{- end -}}

{{- define "hotpot.pdb" -}}
{{- $v := index .root.Values .component -}}
{{- if $v.pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "hotpot.objectName" . }}
  labels:
    {{- include "hotpot.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ $v.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "hotpot.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}

{{- define "hotpot.servicemonitor" -}}
{{- if .root.Values.serviceMonitor.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "hotpot.componentName" . }}
  labels:
    {{- include "hotpot.labels" . | nindent 4 }}
    {{- with .root.Values.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "hotpot.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /q/metrics
      interval: {{ .root.Values.serviceMonitor.interval }}
{{- end }}
{{- end -}}

{{- define "hotpot.hpa" -}}
{{- $v := index .root.Values .component -}}
{{- if $v.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "hotpot.componentName" . }}
  labels:
    {{- include "hotpot.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "hotpot.componentName" . }}
  minReplicas: {{ $v.autoscaling.minReplicas }}
  maxReplicas: {{ $v.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $v.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- end -}}

{{/*
NetworkPolicy of a Hotpot service. Ingress: its HTTP port from the metrics
peers, plus (api, chat) the ingress controller and the helm test pods.
Egress, when restricted: DNS, the brokers, SMTP, extraEgress.
*/}}
{{- define "hotpot.networkpolicy" -}}
{{- $root := .root -}}
{{- $np := $root.Values.networkPolicy -}}
{{- $v := index $root.Values .component -}}
{{- if $np.create }}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "hotpot.componentName" . }}
  labels:
    {{- include "hotpot.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "hotpot.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    {{- if $np.restrictEgress }}
    - Egress
    {{- end }}
  ingress:
    {{- if has .component (list "api" "chat") }}
    - from:
        {{- toYaml $np.ingressControllerPeers | nindent 8 }}
        - podSelector:
            matchLabels:
              {{- include "hotpot.selectorLabels" (dict "root" $root "component" "test") | nindent 14 }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
    {{- with $np.metricsPeers }}
    - from:
        {{- toYaml . | nindent 8 }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
  {{- if $np.restrictEgress }}
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {{- if ne .component "chat" }}
    - ports:
        {{- $rabbitPorts := list $root.Values.rabbitmq.port }}
        {{- if $root.Values.rabbitmq.addresses }}
        {{- $rabbitPorts = list }}
        {{- range $root.Values.rabbitmq.addresses }}
        {{- $rabbitPorts = append $rabbitPorts (splitList ":" . | last | int) }}
        {{- end }}
        {{- end }}
        {{- range uniq $rabbitPorts }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
      {{- if $root.Values.rabbitmq.inChart.enabled }}
      to:
        - podSelector:
            matchLabels:
              {{- include "hotpot.selectorLabels" (dict "root" $root "component" "rabbitmq") | nindent 14 }}
      {{- end }}
    {{- end }}
    - ports:
        {{- /* the ports of redis.addresses and redis.port: with Sentinels, the port of the primary and
               replicas they name; with a Redis Cluster, the port its nodes announce (CLUSTER SLOTS) */}}
        {{- $redisPorts := list ($root.Values.redis.port | int) }}
        {{- range $root.Values.redis.addresses }}
        {{- $redisPorts = append $redisPorts (splitList ":" . | last | int) }}
        {{- end }}
        {{- range uniq $redisPorts }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
      {{- if $root.Values.redis.inChart.enabled }}
      to:
        - podSelector:
            matchLabels:
              {{- include "hotpot.selectorLabels" (dict "root" $root "component" "redis") | nindent 14 }}
      {{- end }}
    {{- if and $root.Values.mail.host (has .component (list "worker" "scheduler")) }}
    - ports:
        - port: {{ $root.Values.mail.port }}
          protocol: TCP
    {{- end }}
    {{- with $np.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
{{- end }}
{{- end -}}

{{/*
The brokers' CA and client keys, from their existing Secrets, where RABBITMQ_TLS_* and REDIS_TLS_*
point: (dict "root" $ "rabbitmq" bool). Used by the services and by helm test's broker check.
*/}}
{{- define "hotpot.tlsMounts" -}}
{{- if .rabbitmq }}
- name: rabbitmq-tls
  mountPath: /deployments/tls/rabbitmq
  readOnly: true
{{- end }}
{{- if .root.Values.redis.tls.enabled }}
- name: redis-tls
  mountPath: /deployments/tls/redis
  readOnly: true
{{- end }}
{{- end -}}

{{- define "hotpot.tlsVolumes" -}}
{{- if .rabbitmq }}
- name: rabbitmq-tls
  secret:
    secretName: {{ .root.Values.rabbitmq.tls.existingSecret }}
{{- end }}
{{- if .root.Values.redis.tls.enabled }}
- name: redis-tls
  secret:
    secretName: {{ .root.Values.redis.tls.existingSecret }}
{{- end }}
{{- end -}}
