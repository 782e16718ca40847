{{/* Chart name, at most 63 characters. */}}
{{- define "hpc-bridge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, with the chart name unless the release name already contains it. */}}
{{- define "hpc-bridge.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "hpc-bridge.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "hpc-bridge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hpc-bridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "hpc-bridge.labels" -}}
helm.sh/chart: {{ include "hpc-bridge.chart" . }}
{{ include "hpc-bridge.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: hpc-bridge
{{- end }}

{{- define "hpc-bridge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "hpc-bridge.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* repository:tag, the tag defaulting to the chart's appVersion (the project version). */}}
{{- define "hpc-bridge.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "hpc-bridge.leaseName" -}}
{{- default (printf "%s-leader" (include "hpc-bridge.fullname" .)) .Values.leaderElection.leaseName }}
{{- end }}

{{/*
The operator's rights on the kinds it reconciles, for a ClusterRole (all namespaces) or a Role (each watched
namespace). Exactly what the code uses; docs/operations.md ("Install with Helm") gives the reason for each rule.
*/}}
{{- define "hpc-bridge.operatorRules" -}}
- apiGroups: ["hpcbridge.io"]
  resources: ["campaigns"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["hpcbridge.io"]
  resources: ["tasks"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["hpcbridge.io"]
  resources: ["taskattempts"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["hpcbridge.io"]
  resources: ["processingblocks"]
  verbs: ["get", "list", "watch", "create"]
- apiGroups: ["hpcbridge.io"]
  resources: ["hpcclusters"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["hpcbridge.io"]
  resources: ["campaigns/status", "tasks/status", "processingblocks/status", "hpcclusters/status"]
  verbs: ["patch"]
- apiGroups: ["hpcbridge.io"]
  resources: ["taskattempts/status"]
  verbs: ["patch", "update"]
- apiGroups: ["hpcbridge.io"]
  resources: ["campaigns/finalizers", "tasks/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}
