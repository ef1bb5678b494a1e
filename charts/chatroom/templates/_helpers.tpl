{{- define "chatroom.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "chatroom.fullname" -}}
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

{{/* Labels every object carries. */}}
{{- define "chatroom.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "chatroom.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: chatroom
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component: (dict "root" $ "component" "api"). */}}
{{- define "chatroom.selectorLabels" -}}
app.kubernetes.io/name: {{ include "chatroom.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "chatroom.componentLabels" -}}
{{ include "chatroom.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "chatroom.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "chatroom.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the signing key and admin password. */}}
{{- define "chatroom.authSecretName" -}}
{{- if .Values.auth.existingSecret }}{{ .Values.auth.existingSecret }}{{ else }}{{ include "chatroom.fullname" . }}-auth{{ end }}
{{- end }}

{{- define "chatroom.redisHost" -}}
{{ include "chatroom.fullname" . }}-redis
{{- end }}

{{- define "chatroom.postgresqlHost" -}}
{{ include "chatroom.fullname" . }}-postgresql
{{- end }}

{{/* The Secret of the development PostgreSQL's password: the given one, or the generated <fullname>-postgresql. */}}
{{- define "chatroom.postgresqlPasswordSecret" -}}
{{- .Values.postgresql.development.existingSecret | default (printf "%s-postgresql" (include "chatroom.fullname" .)) }}
{{- end }}

{{/*
ConnectionStrings__accounts (and what it needs) for the API and the migration Job. existing: the whole Npgsql
connection string from the operator's Secret. development: written here, the password as $(ACCOUNTS_DB_PASSWORD),
which Kubernetes expands from the secretKeyRef defined just before; nothing secret is in a rendered value.
*/}}
{{- define "chatroom.accountsEnv" -}}
{{- $p := .Values.postgresql }}
{{- if eq $p.mode "existing" }}
- name: ConnectionStrings__accounts
  valueFrom:
    secretKeyRef:
      name: {{ $p.existing.existingSecret }}
      key: {{ $p.existing.connectionStringKey }}
{{- else if eq $p.mode "development" }}
- name: ACCOUNTS_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "chatroom.postgresqlPasswordSecret" . }}
      key: {{ $p.development.passwordKey }}
- name: ConnectionStrings__accounts
  value: {{ printf "Host=%s;Port=5432;Database=%s;Username=%s;Password=$(ACCOUNTS_DB_PASSWORD)" (include "chatroom.postgresqlHost" .) $p.development.database $p.development.username | quote }}
{{- end }}
{{- end }}

{{/* Where the API and the migration Job reach PostgreSQL, as a NetworkPolicy egress entry (see networkpolicies.yaml). */}}
{{- define "chatroom.postgresqlEgress" -}}
{{- $p := .Values.postgresql }}
{{- if eq $p.mode "development" }}
{{- toJson (dict "pods" "postgresql" "ports" (list 5432)) }}
{{- else }}
{{- toJson (dict "cidrs" $p.existing.cidrs "ports" $p.existing.ports) }}
{{- end }}
{{- end }}

{{- define "chatroom.ollamaHost" -}}
{{ include "chatroom.fullname" . }}-ollama
{{- end }}

{{/* The Secret and key of the Redis password, or nothing when Redis has no password. */}}
{{- define "chatroom.redisPasswordSecret" -}}
{{- if eq .Values.redis.mode "bundled" }}
{{- .Values.redis.bundled.existingSecret | default (printf "%s-redis" (include "chatroom.fullname" .)) }}
{{- else if .Values.redis.external.existingSecret }}
{{- .Values.redis.external.existingSecret }}
{{- end }}
{{- end }}

{{- define "chatroom.redisPasswordKey" -}}
{{- if eq .Values.redis.mode "bundled" }}{{ .Values.redis.bundled.passwordKey }}{{ else }}{{ .Values.redis.external.passwordKey }}{{ end }}
{{- end }}

{{/*
ConnectionStrings__redis in StackExchange.Redis form. The password is never written here: it is $(REDIS_PASSWORD),
which Kubernetes expands from the env var of the same name (a secretKeyRef) defined just before.
*/}}
{{- define "chatroom.redisConnectionString" -}}
{{- $parts := list }}
{{- if eq .Values.redis.mode "bundled" }}
{{- $parts = append $parts (printf "%s:6379" (include "chatroom.redisHost" .)) }}
{{- else }}
{{- $parts = concat $parts .Values.redis.external.endpoints }}
{{- if .Values.redis.external.tls }}{{ $parts = append $parts "ssl=true" }}{{ end }}
{{- with .Values.redis.external.sslHost }}{{ $parts = append $parts (printf "sslHost=%s" .) }}{{ end }}
{{- with .Values.redis.external.caSecret }}{{ $parts = append $parts (printf "sslCaFile=/etc/chatroom/redis-ca/%s" $.Values.redis.external.caKey) }}{{ end }}
{{- with .Values.redis.external.user }}{{ $parts = append $parts (printf "user=%s" .) }}{{ end }}
{{- end }}
{{- if include "chatroom.redisPasswordSecret" . }}{{ $parts = append $parts "password=$(REDIS_PASSWORD)" }}{{ end }}
{{- $parts = append $parts "abortConnect=false" }}
{{- join "," $parts }}
{{- end }}

{{/* Endpoint of the models: the in-cluster Ollama, or the external server. */}}
{{- define "chatroom.modelEndpoint" -}}
{{- if eq .Values.models.source "ollama" }}http://{{ include "chatroom.ollamaHost" . }}:11434{{ else }}{{ .Values.models.external.endpoint }}{{ end }}
{{- end }}

{{/* One model connection string: (dict "root" $ "model" "name"). */}}
{{- define "chatroom.modelConnectionString" -}}
{{- $v := .root.Values.models -}}
Endpoint={{ include "chatroom.modelEndpoint" .root }};Model={{ .model }}
{{- if eq $v.source "external" }}
{{- if eq $v.external.provider "openai" }};Provider=openai{{ end }}
{{- if $v.external.existingSecret }};Key=$(MODEL_API_KEY){{ end }}
{{- end }}
{{- end }}

{{/*
One image reference: (dict "root" $ "image" .image "registry" <default registry> "tag" <default tag>).
global.imageRegistry wins over the image's registry, which wins over the default; a digest replaces the tag.
*/}}
{{- define "chatroom.image" -}}
{{- $registry := .root.Values.global.imageRegistry | default .image.registry | default .registry | default "" }}
{{- $repository := .image.repository }}
{{- if $registry }}{{ $repository = printf "%s/%s" (trimSuffix "/" $registry) $repository }}{{ end }}
{{- if .image.digest }}
{{- printf "%s@%s" $repository .image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (.image.tag | default .tag | toString) }}
{{- end }}
{{- end }}

{{/* One of the four services' images: (dict "root" $ "image" $svc.image). */}}
{{- define "chatroom.serviceImage" -}}
{{- include "chatroom.image" (dict "root" .root "image" .image "registry" .root.Values.image.registry "tag" (.root.Values.image.tag | default .root.Chart.AppVersion)) }}
{{- end }}

{{/*
Scheduling of one pod, global settings merged in: (dict "root" $ "nodeSelector" .. "tolerations" .. "affinity" ..
"priorityClassName" ..). The component's nodeSelector keys win; tolerations add up.
*/}}
{{- define "chatroom.scheduling" -}}
{{- $g := .root.Values.global }}
{{- with (.priorityClassName | default $g.priorityClassName) }}
priorityClassName: {{ . }}
{{- end }}
{{- with merge (deepCopy (.nodeSelector | default dict)) ($g.nodeSelector | default dict) }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with concat ($g.tolerations | default list) (.tolerations | default list) }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Checksums of what the chart owns and pods read, so a changed value restarts them. */}}
{{- define "chatroom.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secrets: {{ include (print .Template.BasePath "/secrets.yaml") . | sha256sum }}
{{- end }}

{{/* Pod labels that name what a pod may reach, used by the NetworkPolicies. */}}
{{- define "chatroom.services" -}}
{{- list "api" "socketserver" "analysis" "web" | toJson }}
{{- end }}

{{/* Which path prefix goes to which service, for the Ingress and the HTTPRoutes (the most specific prefix wins). */}}
{{- define "chatroom.routes" -}}
main:
  - {path: /api/analysis, service: analysis}
  - {path: /api/knowledge, service: analysis}
  - {path: /api/discussions, service: analysis}
  - {path: /api, service: api}
  - {path: /mcp, service: api}
  - {path: /hooks, service: api}
  - {path: /.well-known/oauth-protected-resource, service: api}
  - {path: /, service: web}
hubs:
  - {path: /hubs, service: socketserver}
{{- end }}

{{/* The GPUs each Ollama pod asks for: ollama.gpu.resources, or one GPU of ollama.gpu.type. */}}
{{- define "chatroom.gpuResources" -}}
{{- $gpu := .Values.ollama.gpu }}
{{- toYaml ($gpu.resources | default (dict (ternary "amd.com/gpu" "nvidia.com/gpu" (eq $gpu.type "amd")) 1)) }}
{{- end }}

{{/*
The data of a generated Secret, (dict "root" $ "secret" "auth"|"redis"|"postgresql"): what the live Secret holds (lookup), with
random values for what it lacks. Made once per render and kept in a scratch map on .Values, so the Secret and the
checksum/secrets annotations see the same values and the first upgrade after an install does not restart the pods.
*/}}
{{- define "chatroom.generatedSecretData" -}}
{{- $root := .root }}
{{- $cache := $root.Values.secrets }}
{{- $key := printf "_generated_%s" .secret }}
{{- if not (hasKey $cache $key) }}
{{- $name := printf "%s-%s" (include "chatroom.fullname" $root) .secret }}
{{- $live := (lookup "v1" "Secret" $root.Release.Namespace $name).data | default dict }}
{{- $data := dict }}
{{- if eq .secret "auth" }}
{{- $a := $root.Values.auth }}
{{- /* The signing key is base64 of 48 random bytes (the services need base64 of at least 32). */}}
{{- $_ := set $data $a.signingKeyKey (index $live $a.signingKeyKey | default (randAscii 48 | b64enc | b64enc)) }}
{{- $_ := set $data $a.adminPasswordKey (index $live $a.adminPasswordKey | default (randAlphaNum 24 | b64enc)) }}
{{- /* Never generated: kept when an operator put one there to rotate the signing key with an overlap. */}}
{{- with index $live $a.previousSigningKeyKey }}{{ $_ := set $data $a.previousSigningKeyKey . }}{{ end }}
{{- else if eq .secret "postgresql" }}
{{- $k := $root.Values.postgresql.development.passwordKey }}
{{- /* Letters and digits: the password sits unquoted in the Npgsql connection string. */}}
{{- $_ := set $data $k (index $live $k | default (randAlphaNum 32 | b64enc)) }}
{{- else }}
{{- $k := $root.Values.redis.bundled.passwordKey }}
{{- $_ := set $data $k (index $live $k | default (randAlphaNum 32 | b64enc)) }}
{{- end }}
{{- $_ := set $cache $key $data }}
{{- end }}
{{- toYaml (index $cache $key) }}
{{- end }}
