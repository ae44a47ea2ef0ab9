{{/*
Chart name, truncated to fit Kubernetes' 63-character names.
*/}}
{{- define "lattice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the release's objects. At most 52 characters: a StatefulSet's pods carry a
controller-revision-hash label of "<name>-<10 characters>", which must fit 63.
*/}}
{{- define "lattice.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "lattice.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object of the grid. Never used as a selector: they change with chart and app versions.
*/}}
{{- define "lattice.labels" -}}
{{ include "lattice.commonLabels" . }}
app.kubernetes.io/component: grid
{{- end }}

{{- define "lattice.commonLabels" -}}
helm.sh/chart: {{ include "lattice.chart" . }}
{{ include "lattice.instanceLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lattice
{{- end }}

{{/*
Labels that select the grid pods: stable for the life of a release (a StatefulSet's selector is
immutable). The component keeps the `helm test` pod out of every selector.
*/}}
{{- define "lattice.selectorLabels" -}}
{{ include "lattice.instanceLabels" . }}
app.kubernetes.io/component: grid
{{- end }}

{{- define "lattice.instanceLabels" -}}
app.kubernetes.io/name: {{ include "lattice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Headless service of the members: Kubernetes DNS discovery and stable pod DNS names. */}}
{{- define "lattice.headlessServiceName" -}}
{{- printf "%s-headless" (include "lattice.fullname" .) }}
{{- end }}

{{/* DNS name members look up to find each other (lattice.discovery.service-dns). */}}
{{- define "lattice.serviceDns" -}}
{{- printf "%s.%s.svc.%s" (include "lattice.headlessServiceName" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{- define "lattice.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "lattice.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "lattice.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Ports. The member port is Hazelcast's 5701 because Kubernetes DNS discovery connects to that port
on every address it resolves (grid-server sets no service-port); the HTTP port serves probes and
metrics.
*/}}
{{- define "lattice.memberPort" -}}5701{{- end }}
{{- define "lattice.httpPort" -}}8080{{- end }}

{{/* Where the ConfigMap, the database and operator passwords and the data volume are mounted. */}}
{{- define "lattice.configDir" -}}/etc/lattice/config{{- end }}
{{- define "lattice.passwordDir" -}}/etc/lattice/database{{- end }}
{{- define "lattice.adminPasswordDir" -}}/etc/lattice/admin{{- end }}
{{- define "lattice.dataDir" -}}/var/lib/lattice{{- end }}

{{- define "lattice.externalDatabase" -}}
{{- if .Values.database.url }}true{{- end }}
{{- end }}

{{/*
Members a node must see to accept writes (grid-server's lattice.split-brain-protection.minimum-cluster-size):
the value set by the user, else a majority of replicaCount. grid-server's own default is a majority of
initial-min-cluster-size, which the chart keeps at 1 (pods start one at a time), i.e. no protection.
*/}}
{{- define "lattice.minimumClusterSize" -}}
{{- $protection := index .Values.lattice "split-brain-protection" | default dict }}
{{- if hasKey $protection "minimum-cluster-size" }}
{{- index $protection "minimum-cluster-size" | int }}
{{- else }}
{{- add (div (int .Values.replicaCount) 2) 1 }}
{{- end }}
{{- end }}

{{/*
lattice.shutdown.timeout in seconds; the schema allows only whole seconds ("120s") or minutes ("2m").
*/}}
{{- define "lattice.shutdownTimeoutSeconds" -}}
{{- $timeout := .Values.lattice.shutdown.timeout }}
{{- if hasSuffix "m" $timeout }}
{{- mul (trimSuffix "m" $timeout | atoi) 60 }}
{{- else }}
{{- trimSuffix "s" $timeout | atoi }}
{{- end }}
{{- end }}

{{/*
Rules the schema cannot express. Included by the StatefulSet and the ConfigMap, so a bad
combination fails `helm template`, `helm install` and `helm upgrade` before anything is applied.
*/}}
{{- define "lattice.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.database.url) }}
{{- fail (printf "replicaCount is %d but database.url is empty. Without an external PostgreSQL every pod starts its own embedded database in its own volume: a map's rows would be split over %d databases, and entries would be missing or stale after partitions move between pods. Set database.url (and database.existingSecret), or replicaCount=1." (int .Values.replicaCount) (int .Values.replicaCount)) }}
{{- end }}
{{- if regexMatch "(?i)[?&;]password=" .Values.database.url }}
{{- fail "database.url contains a password: put it in a Secret and name it in database.existingSecret." }}
{{- end }}
{{- $shutdown := include "lattice.shutdownTimeoutSeconds" . | int }}
{{- if le (int .Values.terminationGracePeriodSeconds) (add $shutdown 15) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed lattice.shutdown.timeout (%ds) by more than 15 s: Kubernetes would kill a member that is still handing over its partitions." (int .Values.terminationGracePeriodSeconds) $shutdown) }}
{{- end }}
{{- range $key := list "lattice" "server" }}
{{- if hasKey $.Values.extraConfig $key }}
{{- fail (printf "extraConfig.%s: %s.* is set by the chart (use the `lattice` and `probes` values); remove it from extraConfig." $key $key) }}
{{- end }}
{{- end }}
{{- if .Values.extensions.enabled }}
{{- $fromImage := .Values.extensions.image.repository }}
{{- $fromVolume := .Values.extensions.volume }}
{{- if and $fromImage $fromVolume }}
{{- fail "extensions: set either extensions.image.repository or extensions.volume, not both." }}
{{- end }}
{{- if not (or $fromImage $fromVolume) }}
{{- fail "extensions.enabled is true but neither extensions.image.repository nor extensions.volume says where the jars come from." }}
{{- end }}
{{- end }}
{{- if and .Values.networkPolicy.enabled (eq (len .Values.networkPolicy.clientLabels) 0) }}
{{- fail "networkPolicy.clientLabels must name at least one label, or every pod could reach the member port." }}
{{- end }}
{{- $minimum := include "lattice.minimumClusterSize" . | int }}
{{- if and (gt (int .Values.replicaCount) 0) (gt $minimum (int .Values.replicaCount)) }}
{{- fail (printf "lattice.split-brain-protection.minimum-cluster-size is %d but replicaCount is %d: no node would ever see %d members, so the grid would refuse every write. Lower it to at most %d (a majority: %d), or remove it to let the chart compute the majority." $minimum (int .Values.replicaCount) $minimum (int .Values.replicaCount) (add (div (int .Values.replicaCount) 2) 1)) }}
{{- end }}
{{- end }}

{{/*
grid-server's configuration (application.yml). Only chart-owned keys are added to the user's
`lattice` values; the discovery/interface pair is fixed here so Kubernetes mode never binds loopback.
*/}}
{{- define "lattice.applicationConfig" -}}
{{- $lattice := deepCopy .Values.lattice }}
{{- /* Pods start one at a time (OrderedReady), so a member never waits for others to start. */}}
{{- $_ := set $lattice "initial-min-cluster-size" 1 }}
{{- $_ := set $lattice "network" (dict
      "interfaces" (list "${POD_IP}")
      "bind-any" false
      "port" (include "lattice.memberPort" . | int)
      "port-auto-increment" false) }}
{{- if eq .Values.discovery.mode "api" }}
{{- $_ := set $lattice "discovery" (dict "mode" "kubernetes" "service-name" (include "lattice.headlessServiceName" .) "namespace" .Release.Namespace) }}
{{- else }}
{{- $_ := set $lattice "discovery" (dict "mode" "kubernetes" "service-dns" (include "lattice.serviceDns" .)) }}
{{- end }}
{{- $datasource := dict "pool-size" (int .Values.database.poolSize) "write-parallelism" (int .Values.database.writeParallelism) }}
{{- if .Values.database.url }}
{{- $_ := set $datasource "url" .Values.database.url }}
{{- if .Values.database.user }}
{{- $_ := set $datasource "user" .Values.database.user }}
{{- end }}
{{- if .Values.database.existingSecret }}
{{- $_ := set $datasource "password-file" (printf "%s/password" (include "lattice.passwordDir" .)) }}
{{- end }}
{{- else }}
{{- $_ := set $datasource "embedded" (dict "data-dir" (printf "%s/postgres" (include "lattice.dataDir" .))) }}
{{- end }}
{{- /* Writes the last stopping node could not store are saved here and replayed at the next start: on the data volume. */}}
{{- $_ := set $datasource "spool-directory" (printf "%s/spool" (include "lattice.dataDir" .)) }}
{{- $_ := set $lattice "datasource" $datasource }}
{{- if .Values.admin.existingSecret }}
{{- $_ := set $lattice "admin" (dict "user" .Values.admin.user "password-file" (printf "%s/password" (include "lattice.adminPasswordDir" .))) }}
{{- end }}
{{- $_ := set $lattice "split-brain-protection" (dict "minimum-cluster-size" (include "lattice.minimumClusterSize" . | int)) }}
{{- if .Values.extensions.enabled }}
{{- $_ := set $lattice "extensions" (dict "dir" .Values.extensions.mountPath) }}
{{- end }}
{{- $server := dict "address" "0.0.0.0" "port" (include "lattice.httpPort" . | int) }}
{{- $config := merge (dict "lattice" $lattice "server" $server) (deepCopy .Values.extraConfig) }}
{{- toYaml $config }}
{{- end }}
