{{/*
The chart name, or nameOverride.
*/}}
{{- define "sluice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every resource name: the release name (so the workers are
deployment/<release>-worker), or fullnameOverride. At most 43 characters, so that the
longest names still fit the limits Kubernetes sets: "<prefix>-coordinator-config" and
"<prefix>-receiver-headless" (Service names: 63), and the receiver StatefulSet's name,
which its pods' controller-revision-hash label extends by 11 characters (63).
*/}}
{{- define "sluice.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 43 | trimSuffix "-" }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "sluice.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels every pod of the release carries; the NetworkPolicy lets pods with them reach the
gRPC ports.
*/}}
{{- define "sluice.releaseLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Selector labels of one role. Call with (dict "ctx" $ "component" "coordinator").
*/}}
{{- define "sluice.selectorLabels" -}}
{{ include "sluice.releaseLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
All labels of one role. Call with (dict "ctx" $ "component" "coordinator").
*/}}
{{- define "sluice.labels" -}}
{{ include "sluice.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: sluice
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
helm.sh/chart: {{ include "sluice.chart" .ctx }}
{{- end }}

{{/*
The ports each app listens on: quarkus.http.port and quarkus.grpc.server.port of its
application.properties (deploy-tests checks that they match).
*/}}
{{- define "sluice.ports" -}}
{{- dict
    "coordinator" (dict "http" 8080 "grpc" 9090)
    "worker" (dict "http" 8081 "grpc" 9191)
    "receiver" (dict "http" 8090 "grpc" 9095)
  | toJson }}
{{- end }}

{{/*
The image of one role. Call with (dict "ctx" $ "repository" "sluice/coordinator").
Native images carry the tag "<tag>-native" (see the root pom).
*/}}
{{- define "sluice.image" -}}
{{- $img := .ctx.Values.image -}}
{{- $tag := $img.tag | default .ctx.Chart.AppVersion | toString -}}
{{- if eq $img.flavor "native" }}{{ $tag = printf "%s-native" $tag }}{{ end -}}
{{- if $img.registry -}}
{{- printf "%s/%s:%s" ($img.registry | trimSuffix "/") .repository $tag }}
{{- else -}}
{{- printf "%s:%s" .repository $tag }}
{{- end -}}
{{- end }}

{{/*
The images' working directory, under which Quarkus reads config/application.properties:
/deployments in JVM images (quarkus.jib.working-directory), /work in native ones.
*/}}
{{- define "sluice.workDir" -}}
{{- if eq .Values.image.flavor "native" }}/work{{ else }}/deployments{{ end }}
{{- end }}

{{/*
imagePullSecrets of a pod spec, if any.
*/}}
{{- define "sluice.pullSecrets" -}}
imagePullSecrets:
  {{- range .Values.image.pullSecrets }}
  - name: {{ . }}
  {{- end }}
{{- end }}

{{/*
The address workers and receivers dial: the coordinator Service's gRPC port.
*/}}
{{- define "sluice.coordinatorAddress" -}}
{{- $ports := include "sluice.ports" . | fromJson -}}
{{- printf "%s-coordinator:%v" (include "sluice.fullname" .) $ports.coordinator.grpc }}
{{- end }}

{{/*
The Secret holding the cluster token (key "token"): the chart's own or auth.existingSecret.
*/}}
{{- define "sluice.tokenSecretName" -}}
{{- .Values.auth.existingSecret | default (printf "%s-token" (include "sluice.fullname" .)) }}
{{- end }}

{{/*
The cluster token as the apps read it (sluice.cluster.token). Calls between the roles carry
it; an app that does not know the property yet ignores the variable.
*/}}
{{- define "sluice.tokenEnv" -}}
- name: SLUICE_CLUSTER_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "sluice.tokenSecretName" . }}
      key: token
{{- end }}

{{/*
The claim of the checkpoint volume.
*/}}
{{- define "sluice.checkpointClaim" -}}
{{- .Values.checkpoint.persistence.existingClaim | default (printf "%s-checkpoints" (include "sluice.fullname" .)) }}
{{- end }}

{{/*
The checkpoint volume of a pod spec: the shared claim, or an emptyDir of the pod's own
when checkpoint.persistence.enabled is false.
*/}}
{{- define "sluice.checkpointVolume" -}}
- name: checkpoints
{{- if .Values.checkpoint.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ include "sluice.checkpointClaim" . }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- end }}

{{/*
A value in a .properties file, read back unchanged by the apps: backslashes and line breaks
escaped, "${" kept from being expanded as a config expression, a leading blank kept.
*/}}
{{- define "sluice.propertyValue" -}}
{{- $v := . | toString | replace "\\" "\\\\" | replace "\r" "\\r" | replace "\n" "\\n" | replace "${" "\\\\${" -}}
{{- if or (hasPrefix " " $v) (hasPrefix "\t" $v) }}{{ $v = printf "\\%s" $v }}{{ end -}}
{{- $v -}}
{{- end }}

{{/*
Startup, liveness and readiness probes on the Quarkus health endpoints of the
container port named "http".
*/}}
{{- define "sluice.probes" -}}
startupProbe:
  httpGet:
    path: /q/health/started
    port: http
    {{- with include "sluice.probeScheme" . }}{{ . | nindent 4 }}{{ end }}
  periodSeconds: 5
  failureThreshold: 24
livenessProbe:
  httpGet:
    path: /q/health/live
    port: http
    {{- with include "sluice.probeScheme" . }}{{ . | nindent 4 }}{{ end }}
  periodSeconds: 10
  timeoutSeconds: 2
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: http
    {{- with include "sluice.probeScheme" . }}{{ . | nindent 4 }}{{ end }}
  periodSeconds: 5
  timeoutSeconds: 2
  failureThreshold: 3
{{- end }}

{{/*
HTTPS for a probe when the apps serve TLS (the kubelet does not check the certificate).
*/}}
{{- define "sluice.probeScheme" -}}
{{- if .Values.tls.enabled -}}
scheme: HTTPS
{{- end }}
{{- end }}

{{/*
The Secret with tls.crt, tls.key and ca.crt: tls.existingSecret, or the one cert-manager
fills for the chart's Certificate.
*/}}
{{- define "sluice.tlsSecretName" -}}
{{- $t := .Values.tls -}}
{{- if and $t.existingSecret $t.certManager.enabled -}}
{{- fail "tls: set either tls.existingSecret or tls.certManager.enabled, not both" -}}
{{- else if $t.existingSecret -}}
{{- $t.existingSecret -}}
{{- else if $t.certManager.enabled -}}
{{- printf "%s-tls" (include "sluice.fullname" .) -}}
{{- else -}}
{{- fail "tls.enabled needs tls.existingSecret (a kubernetes.io/tls Secret with tls.crt, tls.key and ca.crt) or tls.certManager.enabled" -}}
{{- end -}}
{{- end }}

{{/*
Where every pod mounts the TLS Secret.
*/}}
{{- define "sluice.tlsDir" -}}/etc/sluice/tls{{- end }}

{{/*
The host names the apps are dialled by, which the certificate must name, as a JSON list:
the coordinator and receiver Services, workers under their headless Service, receivers
under theirs.
*/}}
{{- define "sluice.tlsDnsNames" -}}
{{- $full := include "sluice.fullname" . -}}
{{- $ns := .Release.Namespace -}}
{{- $domain := .Values.clusterDomain -}}
{{- $names := list -}}
{{- range $svc := list (printf "%s-coordinator" $full) (printf "%s-receiver" $full) -}}
{{- $names = concat $names (list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.%s" $svc $ns $domain)) -}}
{{- end -}}
{{- $names = append $names (printf "*.%s-worker.%s.svc.%s" $full $ns $domain) -}}
{{- $names = append $names (printf "*.%s-receiver-headless.%s.svc.%s" $full $ns $domain) -}}
{{- concat $names .Values.tls.certManager.dnsNames | toJson -}}
{{- end }}

{{/*
The apps' TLS settings (sluice.tls.*), when tls.enabled.
*/}}
{{- define "sluice.tlsEnv" -}}
{{- if .Values.tls.enabled -}}
- name: SLUICE_TLS_ENABLED
  value: "true"
- name: SLUICE_TLS_CERT
  value: {{ include "sluice.tlsDir" . }}/tls.crt
- name: SLUICE_TLS_KEY
  value: {{ include "sluice.tlsDir" . }}/tls.key
- name: SLUICE_TLS_CA
  value: {{ include "sluice.tlsDir" . }}/ca.crt
- name: SLUICE_TLS_VERIFY_HOSTNAME
  value: {{ .Values.tls.verifyHostname | quote }}
{{- end }}
{{- end }}

{{/*
The TLS Secret's volume mount and volume, when tls.enabled.
*/}}
{{- define "sluice.tlsMount" -}}
{{- if .Values.tls.enabled -}}
- name: tls
  mountPath: {{ include "sluice.tlsDir" . }}
  readOnly: true
{{- end }}
{{- end }}

{{- define "sluice.tlsVolume" -}}
{{- if .Values.tls.enabled -}}
- name: tls
  secret:
    secretName: {{ include "sluice.tlsSecretName" . }}
    # Readable by the apps' group (fsGroup 185) only.
    defaultMode: 0440
{{- end }}
{{- end }}

{{/*
The pod annotation that restarts a role when the TLS values change, when tls.enabled.
*/}}
{{- define "sluice.tlsChecksum" -}}
{{- if .Values.tls.enabled -}}
checksum/tls: {{ .Values.tls | toJson | sha256sum }}
{{- end }}
{{- end }}

{{/*
One worker pool with the workers.* defaults filled in. Call with (dict "ctx" $ "pool" $pool);
returns JSON.
*/}}
{{- define "sluice.workerPool" -}}
{{- $w := .ctx.Values.workers -}}
{{- $p := .pool -}}
{{- $name := required "workers.pools[].name is required" $p.name -}}
{{- $deployment := printf "%s-worker" (include "sluice.fullname" .ctx) -}}
{{- if ne $name "default" }}{{ $deployment = printf "%s-%s" $deployment $name }}{{ end -}}
{{- $autoscale := merge (deepCopy ($p.autoscale | default dict)) (dict "enabled" false "min" 1 "max" 4) -}}
{{- dict
    "name" $name
    "deployment" $deployment
    "stages" ($p.stages | default "all")
    "replicas" (hasKey $p "replicas" | ternary $p.replicas $w.replicas)
    "slots" (hasKey $p "slots" | ternary $p.slots $w.slots)
    "resources" ($p.resources | default $w.resources)
    "nodeSelector" ($p.nodeSelector | default $w.nodeSelector)
    "tolerations" ($p.tolerations | default $w.tolerations)
    "autoscale" $autoscale
  | toJson }}
{{- end }}

{{/*
Every worker pool, checked, as a JSON list (see sluice.workerPool).
*/}}
{{- define "sluice.workerPools" -}}
{{- $pools := list -}}
{{- $seen := dict -}}
{{- range .Values.workers.pools }}
{{- $p := include "sluice.workerPool" (dict "ctx" $ "pool" .) | fromJson -}}
{{- if hasKey $seen $p.name }}{{ fail (printf "workers.pools: the pool name %q is used twice" $p.name) }}{{ end -}}
{{- $_ := set $seen $p.name true -}}
{{- if and $p.autoscale.enabled (gt (int $p.autoscale.min) (int $p.autoscale.max)) -}}
{{- fail (printf "workers.pools[%s].autoscale: min (%v) is greater than max (%v)" $p.name $p.autoscale.min $p.autoscale.max) -}}
{{- end -}}
{{- $pools = append $pools $p -}}
{{- end -}}
{{- if not $pools }}{{ fail "workers.pools: at least one pool is needed" }}{{ end -}}
{{- $pools | toJson }}
{{- end }}
