{{/*
The chart name, or nameOverride.
*/}}
{{- define "sluice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every resource name: the release name (so the workers are
deployment/<release>-worker), or fullnameOverride. Kept short enough for the
longest suffix ("-coordinator-config") to fit in 63 characters.
*/}}
{{- define "sluice.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 44 | trimSuffix "-" }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "sluice.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels of one role. Call with (dict "ctx" $ "component" "coordinator").
*/}}
{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
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
The image of one role. Call with (dict "ctx" $ "repository" "sluice/coordinator").
*/}}
{{- define "sluice.image" -}}
{{- $img := .ctx.Values.image -}}
{{- $tag := $img.tag | default .ctx.Chart.AppVersion | toString -}}
{{- if $img.registry -}}
{{- printf "%s/%s:%s" ($img.registry | trimSuffix "/") .repository $tag }}
{{- else -}}
{{- printf "%s:%s" .repository $tag }}
{{- end -}}
{{- end }}

{{/*
The address workers and receivers dial: the coordinator Service's gRPC port.
*/}}
{{- define "sluice.coordinatorAddress" -}}
{{- printf "%s-coordinator:9090" (include "sluice.fullname" .) }}
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
  periodSeconds: 5
  failureThreshold: 24
livenessProbe:
  httpGet:
    path: /q/health/live
    port: http
  periodSeconds: 10
  timeoutSeconds: 2
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: http
  periodSeconds: 5
  timeoutSeconds: 2
  failureThreshold: 3
{{- end }}
