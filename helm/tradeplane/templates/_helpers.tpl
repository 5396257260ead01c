{{/* Names and labels. */}}
{{- define "tradeplane.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tradeplane.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "tradeplane.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tradeplane.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "tradeplane.labels" -}}
{{ include "tradeplane.selectorLabels" . }}
app.kubernetes.io/part-of: tradeplane
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "tradeplane.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
The port plan (docs/ports.md) and the bus flows (DESIGN.md's table and the
services' defaults): for each service, its bus server sockets and which
services connect to each. Admin is 7S90, metrics 7S91.
*/}}
{{- define "tradeplane.plan" -}}
market-data:
  number: 1
  binary: tradeplane-market-data
  bus:
    bus-pub: {port: 7100, clients: [signal, risk, execution, sentinel]}
    bus-snapshot: {port: 7101, clients: [signal, risk, execution, sentinel]}
signal:
  number: 2
  binary: tradeplane-signal
  bus:
    bus-pub: {port: 7200, clients: []}
risk:
  number: 3
  binary: tradeplane-risk
  bus:
    bus-intents: {port: 7300, clients: [signal]}
    bus-pub: {port: 7301, clients: []}
  adminClients: [sentinel, reconciler]
execution:
  number: 4
  binary: tradeplane-execution
  bus:
    bus-orders: {port: 7400, clients: [risk, reconciler]}
    bus-pub: {port: 7401, clients: [signal, risk, sentinel]}
signer:
  number: 5
  binary: tradeplane-signer
  bus:
    bus-sign: {port: 7500, clients: [execution, reconciler]}
sentinel:
  number: 6
  binary: tradeplane-sentinel
  bus:
    bus-pub: {port: 7600, clients: [risk]}
reconciler:
  number: 7
  binary: tradeplane-reconciler
  bus:
    bus-pub: {port: 7700, clients: [risk]}
{{- end -}}

{{- define "tradeplane.adminPort" -}}{{ add 7090 (mul 100 .number) }}{{- end -}}
{{- define "tradeplane.metricsPort" -}}{{ add 7091 (mul 100 .number) }}{{- end -}}

{{/* tcp://<service DNS name>:<port> of one bus server socket. */}}
{{- define "tradeplane.endpoint" -}}
{{- printf "tcp://%s-%s:%v" (include "tradeplane.fullname" .root) .service .port -}}
{{- end -}}

{{- define "tradeplane.secretName" -}}
{{- default (printf "%s-secrets" (include "tradeplane.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}
