{{/*
Chart name, cut to 63 characters (the DNS label limit for names and label values).
*/}}
{{- define "nostr-info.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name, cut to 63 characters. The release name is used alone when it already
contains the chart name.
*/}}
{{- define "nostr-info.fullname" -}}
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

{{/*
Name of a component's objects: "<fullname>-<component>", cut to 63 characters.
Usage: include "nostr-info.componentName" (dict "ctx" $ "component" "api")
*/}}
{{- define "nostr-info.componentName" -}}
{{- printf "%s-%s" (include "nostr-info.fullname" .ctx | trunc 52 | trimSuffix "-") .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Chart label value.
*/}}
{{- define "nostr-info.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels: fixed, never merged with user labels, so an upgrade that changes commonLabels or
podLabels cannot change an immutable selector.
Usage: include "nostr-info.selectorLabels" (dict "ctx" $ "component" "api")
*/}}
{{- define "nostr-info.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nostr-info.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name | trunc 63 | trimSuffix "-" }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end }}

{{/*
Labels for every object: user commonLabels first, so the chart's own labels win on conflict.
Usage: include "nostr-info.labels" (dict "ctx" $ "component" "api")
*/}}
{{- define "nostr-info.labels" -}}
{{- $own := include "nostr-info.selectorLabels" . | fromYaml }}
{{- $_ := set $own "helm.sh/chart" (include "nostr-info.chart" .ctx) }}
{{- $_ := set $own "app.kubernetes.io/managed-by" .ctx.Release.Service }}
{{- $_ := set $own "app.kubernetes.io/part-of" "nostr-info" }}
{{- with .ctx.Chart.AppVersion }}
{{- $_ := set $own "app.kubernetes.io/version" (. | toString | trunc 63 | trimSuffix "-") }}
{{- end }}
{{- $all := merge $own (deepCopy (.ctx.Values.commonLabels | default dict)) }}
{{- toYaml $all }}
{{- end }}

{{/*
Pod labels: object labels plus the component's podLabels; selector labels re-applied last.
Usage: include "nostr-info.podLabels" (dict "ctx" $ "component" "api" "podLabels" .Values.api.podLabels)
*/}}
{{- define "nostr-info.podLabels" -}}
{{- $labels := include "nostr-info.labels" . | fromYaml }}
{{- $labels = merge (include "nostr-info.selectorLabels" . | fromYaml) $labels (deepCopy (.podLabels | default dict)) }}
{{- toYaml $labels }}
{{- end }}

{{/*
Service account of the API, scheduler, migration job and test pod (no API token mounted).
*/}}
{{- define "nostr-info.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "nostr-info.fullname" .) .Values.serviceAccount.name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Service account of the collector: it reads its own StatefulSet to learn the replica count.
*/}}
{{- define "nostr-info.collectorServiceAccountName" -}}
{{- if .Values.collector.serviceAccount.create }}
{{- default (include "nostr-info.componentName" (dict "ctx" . "component" "collector")) .Values.collector.serviceAccount.name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- default "default" .Values.collector.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Container image reference; the tag defaults to the chart's appVersion.
*/}}
{{- define "nostr-info.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag | toString }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
Name of the Secret holding DATABASE_URL, DATABASE_READ_URL, REDIS_URL, REDIS_CLUSTER_NODES,
REDIS_USERNAME and REDIS_PASSWORD.
*/}}
{{- define "nostr-info.secretName" -}}
{{- default (include "nostr-info.fullname" .) .Values.existingSecret }}
{{- end }}

{{/*
Name of the CloudNativePG cluster.
*/}}
{{- define "nostr-info.cnpgName" -}}
{{- include "nostr-info.componentName" (dict "ctx" . "component" "pg") }}
{{- end }}

{{/*
Database and cache connection env vars, from the chart's Secret, an existingSecret, or the
CloudNativePG app secret. Every key is optional: an unset key leaves the variable empty, which
the services treat as unset.
Usage: include "nostr-info.connectionEnv" (dict "ctx" $ "read" true "cache" true)
*/}}
{{- define "nostr-info.connectionEnv" -}}
{{- $ctx := .ctx }}
{{- $secret := include "nostr-info.secretName" $ctx }}
{{- $keys := $ctx.Values.secretKeys }}
{{- if $ctx.Values.cnpg.enabled }}
{{- $app := printf "%s-app" (include "nostr-info.cnpgName" $ctx) }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $app }}
      key: uri
{{- if .read }}
- name: CNPG_APP_USER
  valueFrom:
    secretKeyRef:
      name: {{ $app }}
      key: username
- name: CNPG_APP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $app }}
      key: password
- name: DATABASE_READ_URL
  value: {{ printf "postgresql://$(CNPG_APP_USER):$(CNPG_APP_PASSWORD)@%s-ro:5432/%s" (include "nostr-info.cnpgName" $ctx) $ctx.Values.cnpg.database | quote }}
{{- end }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.databaseUrl }}
      optional: true
{{- if .read }}
- name: DATABASE_READ_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.databaseReadUrl }}
      optional: true
{{- end }}
{{- end }}
{{- if .cache }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.redisUrl }}
      optional: true
- name: REDIS_CLUSTER_NODES
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.redisClusterNodes }}
      optional: true
- name: REDIS_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.redisUsername }}
      optional: true
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.redisPassword }}
      optional: true
{{- end }}
{{- end }}

{{/*
Container security context shared by every container.
*/}}
{{- define "nostr-info.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext }}
{{- end }}

{{/*
Checksum of the configuration, so pods restart when it changes.
*/}}
{{- define "nostr-info.configChecksum" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if not .Values.existingSecret }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end }}

{{/*
Selector used by the alert rules to pick this release's scrape targets.
*/}}
{{- define "nostr-info.alertSelector" -}}
{{- if .Values.metrics.prometheusRule.selector }}
{{- .Values.metrics.prometheusRule.selector }}
{{- else }}
{{- printf "namespace=%q, job=~%q" .Release.Namespace (printf "%s-(api|collector)" (include "nostr-info.fullname" .)) }}
{{- end }}
{{- end }}

{{/*
Whether the Prometheus Operator CRDs are installed (or announced with --api-versions).
*/}}
{{- define "nostr-info.hasPrometheusOperator" -}}
{{- if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}true{{ end }}
{{- end }}
