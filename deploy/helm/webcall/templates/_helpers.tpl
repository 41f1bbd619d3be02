{{/* Names */}}
{{- define "webcall.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "webcall.fullname" -}}
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

{{/* Name of one component's resources: webcall.component (dict "root" $ "component" "edge") */}}
{{- define "webcall.componentName" -}}
{{- printf "%s-%s" (include "webcall.fullname" .root) .component -}}
{{- end -}}

{{/* Labels */}}
{{- define "webcall.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "webcall.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: webcall
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "webcall.selectorLabels" -}}
app.kubernetes.io/name: {{ include "webcall.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Image of a platform service: include "webcall.image" (dict "root" $ "image" .Values.edge.image) */}}
{{- define "webcall.image" -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if .root.Values.image.registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "webcall.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets -}}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end -}}
{{- end -}}

{{- define "webcall.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "webcall.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* Secrets */}}
{{- define "webcall.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "webcall.fullname" .)) -}}
{{- end -}}

{{- define "webcall.databaseSecretName" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "%s-postgresql" (include "webcall.fullname" .) -}}
{{- else -}}
{{- .Values.database.existingSecret | default (printf "%s-database" (include "webcall.fullname" .)) -}}
{{- end -}}
{{- end -}}

{{- define "webcall.databaseUsernameKey" -}}
{{- if or .Values.postgresql.enabled (not .Values.database.existingSecret) -}}username{{- else -}}{{ .Values.database.existingSecretUsernameKey }}{{- end -}}
{{- end -}}

{{- define "webcall.databasePasswordKey" -}}
{{- if or .Values.postgresql.enabled (not .Values.database.existingSecret) -}}password{{- else -}}{{ .Values.database.existingSecretPasswordKey }}{{- end -}}
{{- end -}}

{{- define "webcall.kafkaSaslEnabled" -}}
{{- if and (not .Values.kafka.enabled) (hasPrefix "SASL_" .Values.kafka.securityProtocol) -}}true{{- end -}}
{{- end -}}

{{- define "webcall.kafkaSecretName" -}}
{{- .Values.kafka.sasl.existingSecret | default (printf "%s-kafka-credentials" (include "webcall.fullname" .)) -}}
{{- end -}}

{{/*
Value of a generated secret: the configured value, else the value already stored in the cluster
(kept across upgrades), else a new random one.
Usage: include "webcall.secretValue" (dict "root" $ "secret" "name" "key" "internal-token" "value" .Values.secrets.internalToken "length" 48)
*/}}
{{- define "webcall.secretValue" -}}
{{- if .value -}}
{{- .value -}}
{{- else -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .secret -}}
{{- if and $existing $existing.data (hasKey $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else if .base64Bytes -}}
{{- randAscii .base64Bytes | b64enc | trunc 44 -}}
{{- else -}}
{{- randAlphaNum (.length | default 48 | int) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Connection settings */}}
{{- define "webcall.jdbcUrl" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "jdbc:postgresql://%s-postgresql:5432/%s" (include "webcall.fullname" .) .Values.postgresql.database -}}
{{- else -}}
{{- required "database.jdbcUrl is required when postgresql.enabled is false: set it to the JDBC URL of your PostgreSQL (jdbc:postgresql://host:5432/db) or enable the in-cluster PostgreSQL for evaluation" .Values.database.jdbcUrl -}}
{{- end -}}
{{- end -}}

{{- define "webcall.kafkaBootstrapServers" -}}
{{- if .Values.kafka.enabled -}}
{{- printf "%s-kafka:9092" (include "webcall.fullname" .) -}}
{{- else -}}
{{- required "kafka.bootstrapServers is required when kafka.enabled is false: set it to your Kafka bootstrap servers (host:9092,...) or enable the in-cluster Kafka for evaluation" .Values.kafka.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{- define "webcall.accountUrl" -}}
{{- printf "http://%s-account:%d" (include "webcall.fullname" .) (int .Values.account.port) -}}
{{- end -}}

{{/* Relay control APIs as the edges reach them: every relay pod by its stable name under the headless Service,
comma-separated; each call's first offer picks one (rendezvous hashing of the Call-ID) and the call stays on it. */}}
{{- define "webcall.relayControlUrl" -}}
{{- $name := include "webcall.fullname" . -}}
{{- $urls := list -}}
{{- range $i := until (int .Values.relay.replicaCount) -}}
{{- $urls = append $urls (printf "http://%s-relay-%d.%s-relay-headless.%s.svc:%d" $name $i $name $.Release.Namespace (int $.Values.relay.controlPort)) -}}
{{- end -}}
{{- join "," $urls -}}
{{- end -}}

{{/* What GET /v1/client-config hands to browsers: explicit values, else derived from the Ingress, the edge and coturn. */}}
{{- define "webcall.websocketUrls" -}}
{{- $urls := .Values.client.websocketUrls -}}
{{- if not $urls -}}
{{- if .Values.ingress.enabled -}}
{{- $urls = append $urls (printf "%s://%s/sip" (ternary "wss" "ws" .Values.ingress.tls.enabled) .Values.ingress.host) -}}
{{- end -}}
{{- if and .Values.edge.tls.enabled .Values.edge.sip.advertisedHost -}}
{{- $urls = append $urls (printf "wss://%s:%d/sip" .Values.edge.sip.advertisedHost (int .Values.edge.publicService.wssPort)) -}}
{{- end -}}
{{- end -}}
{{- if not $urls -}}
{{- fail "client.websocketUrls is empty and cannot be derived (ingress disabled, and edge TLS off or edge.sip.advertisedHost empty): list the wss:// URLs browsers use to reach the edge" -}}
{{- end -}}
{{- join "," $urls -}}
{{- end -}}

{{- define "webcall.coturnHost" -}}
{{- required "coturn.publicHost is required when coturn.enabled is true and client.stunUrls/client.turnUrls are empty: browsers get stun:/turn: URIs with this host" .Values.coturn.publicHost -}}
{{- end -}}

{{- define "webcall.stunUrls" -}}
{{- if .Values.client.stunUrls -}}
{{- join "," .Values.client.stunUrls -}}
{{- else if .Values.coturn.enabled -}}
{{- printf "stun:%s:%d" (include "webcall.coturnHost" .) (int .Values.coturn.port) -}}
{{- else -}}
none
{{- end -}}
{{- end -}}

{{- define "webcall.turnUrls" -}}
{{- if .Values.client.turnUrls -}}
{{- join "," .Values.client.turnUrls -}}
{{- else if .Values.coturn.enabled -}}
{{- $host := include "webcall.coturnHost" . -}}
{{- printf "turn:%s:%d?transport=udp,turn:%s:%d?transport=tcp" $host (int .Values.coturn.port) $host (int .Values.coturn.port) -}}
{{- else -}}
none
{{- end -}}
{{- end -}}

{{/* SASL credentials of the Kafka clients, from a Secret; the JAAS line references them ($(VAR) expansion). */}}
{{- define "webcall.kafkaSaslEnv" -}}
{{- if include "webcall.kafkaSaslEnabled" . }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "webcall.kafkaSecretName" . }}
      key: {{ ternary .Values.kafka.sasl.existingSecretUsernameKey "username" (not (empty .Values.kafka.sasl.existingSecret)) }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "webcall.kafkaSecretName" . }}
      key: {{ ternary .Values.kafka.sasl.existingSecretPasswordKey "password" (not (empty .Values.kafka.sasl.existingSecret)) }}
- name: KAFKA_SASL_JAAS_CONFIG
  value: {{ printf "%s required username=\"$(KAFKA_SASL_USERNAME)\" password=\"$(KAFKA_SASL_PASSWORD)\";" (ternary "org.apache.kafka.common.security.plain.PlainLoginModule" "org.apache.kafka.common.security.scram.ScramLoginModule" (eq .Values.kafka.sasl.mechanism "PLAIN")) | quote }}
{{- end }}
{{- end -}}

{{/* Environment shared by every platform service: internal token, Kafka credentials. */}}
{{- define "webcall.commonEnv" -}}
- name: WEBCALL_INTERNAL_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "webcall.secretName" . }}
      key: internal-token
{{- include "webcall.kafkaSaslEnv" . }}
{{- end -}}

{{/* Non-secret configuration shared by every platform service (ConfigMap data). */}}
{{- define "webcall.commonConfig" -}}
KAFKA_BOOTSTRAP_SERVERS: {{ include "webcall.kafkaBootstrapServers" . | quote }}
{{- if not .Values.kafka.enabled }}
KAFKA_SECURITY_PROTOCOL: {{ .Values.kafka.securityProtocol | quote }}
{{- if include "webcall.kafkaSaslEnabled" . }}
KAFKA_SASL_MECHANISM: {{ .Values.kafka.sasl.mechanism | quote }}
{{- end }}
{{- range $k, $v := .Values.kafka.extraConfig }}
{{ $k }}: {{ $v | toString | quote }}
{{- end }}
{{- end }}
QUARKUS_LOG_CONSOLE_JSON_ENABLED: {{ eq .Values.logFormat "json" | toString | quote }}
JAVA_OPTS_APPEND: {{ printf "-Djava.util.logging.manager=org.jboss.logmanager.LogManager %s" .Values.javaOptions | quote }}
{{- end -}}

{{/* Probes on the Quarkus health endpoints: include "webcall.probes" (dict "root" $ "port" "http") */}}
{{- define "webcall.probes" -}}
startupProbe:
  httpGet:
    path: /q/health/started
    port: {{ .port }}
  periodSeconds: {{ .root.Values.probes.startup.periodSeconds }}
  failureThreshold: {{ .root.Values.probes.startup.failureThreshold }}
  timeoutSeconds: {{ .root.Values.probes.startup.timeoutSeconds }}
livenessProbe:
  httpGet:
    path: /q/health/live
    port: {{ .port }}
  periodSeconds: {{ .root.Values.probes.liveness.periodSeconds }}
  failureThreshold: {{ .root.Values.probes.liveness.failureThreshold }}
  timeoutSeconds: {{ .root.Values.probes.liveness.timeoutSeconds }}
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: {{ .port }}
  periodSeconds: {{ .root.Values.probes.readiness.periodSeconds }}
  failureThreshold: {{ .root.Values.probes.readiness.failureThreshold }}
  timeoutSeconds: {{ .root.Values.probes.readiness.timeoutSeconds }}
{{- end -}}

{{/* Writable scratch space (the root filesystem is read-only). */}}
{{- define "webcall.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "webcall.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}

{{/* Consistency checks that a JSON schema cannot express. */}}
{{- define "webcall.validate" -}}
{{- if gt (int .Values.relay.rtpPorts.min) (int .Values.relay.rtpPorts.max) -}}
{{- fail (printf "relay.rtpPorts.min (%d) must not be greater than relay.rtpPorts.max (%d)" (int .Values.relay.rtpPorts.min) (int .Values.relay.rtpPorts.max)) -}}
{{- end -}}
{{- if and (ge (int .Values.relay.webrtcPort) (int .Values.relay.rtpPorts.min)) (le (int .Values.relay.webrtcPort) (int .Values.relay.rtpPorts.max)) -}}
{{- fail (printf "relay.webrtcPort (%d) must lie outside relay.rtpPorts (%d-%d)" (int .Values.relay.webrtcPort) (int .Values.relay.rtpPorts.min) (int .Values.relay.rtpPorts.max)) -}}
{{- end -}}
{{- if eq .Values.relay.mode "perPodService" -}}
{{- if lt (len .Values.relay.publicAddresses) (int .Values.relay.replicaCount) -}}
{{- fail (printf "relay.mode=perPodService needs one address per relay pod: relay.publicAddresses has %d entries but relay.replicaCount is %d" (len .Values.relay.publicAddresses) (int .Values.relay.replicaCount)) -}}
{{- end -}}
{{- $ports := add1 (sub (int .Values.relay.rtpPorts.max) (int .Values.relay.rtpPorts.min)) -}}
{{- if gt (int $ports) (int .Values.relay.perPodService.maxRtpPorts) -}}
{{- fail (printf "relay.mode=perPodService exposes every RTP port as a load balancer listener: relay.rtpPorts spans %d ports, more than relay.perPodService.maxRtpPorts (%d); narrow the range or use relay.mode=hostNetwork" (int $ports) (int .Values.relay.perPodService.maxRtpPorts)) -}}
{{- end -}}
{{- end -}}
{{- if and (eq .Values.relay.mode "hostNetwork") (eq .Values.relay.hostNetwork.advertisedAddressFrom "publicAddresses") (lt (len .Values.relay.publicAddresses) (int .Values.relay.replicaCount)) -}}
{{- fail (printf "relay.hostNetwork.advertisedAddressFrom=publicAddresses needs one address per relay pod: relay.publicAddresses has %d entries but relay.replicaCount is %d" (len .Values.relay.publicAddresses) (int .Values.relay.replicaCount)) -}}
{{- end -}}
{{- if and .Values.edge.publicService.enabled (ne (int .Values.edge.publicService.sipPort) (int .Values.edge.ports.sip)) -}}
{{- fail (printf "edge.publicService.sipPort (%d) must equal edge.ports.sip (%d): the edge writes its own SIP port into Via and Record-Route, where PBXes send their requests" (int .Values.edge.publicService.sipPort) (int .Values.edge.ports.sip)) -}}
{{- end -}}
{{- if and .Values.edge.publicService.enabled .Values.edge.sipTls.enabled (ne (int .Values.edge.publicService.sipTlsPort) (int .Values.edge.sipTls.port)) -}}
{{- fail (printf "edge.publicService.sipTlsPort (%d) must equal edge.sipTls.port (%d): the edge writes its own TLS port into Record-Route, where PBXes send their requests" (int .Values.edge.publicService.sipTlsPort) (int .Values.edge.sipTls.port)) -}}
{{- end -}}
{{- if and .Values.edge.sipTls.enabled (not .Values.edge.sipTls.existingSecret) -}}
{{- fail "edge.sipTls.enabled is true but edge.sipTls.existingSecret is empty: name a Secret of type kubernetes.io/tls holding the edge's SIP certificate" -}}
{{- end -}}
{{- if and .Values.edge.tls.enabled (not .Values.edge.tls.existingSecret) -}}
{{- fail "edge.tls.enabled is true but edge.tls.existingSecret is empty: name a Secret of type kubernetes.io/tls holding the WSS certificate" -}}
{{- end -}}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled (not .Values.ingress.tls.secretName) -}}
{{- fail "ingress.tls.enabled is true but ingress.tls.secretName is empty: name the Secret of type kubernetes.io/tls for ingress.host" -}}
{{- end -}}
{{- if and .Values.coturn.enabled (gt (int .Values.coturn.relayPorts.min) (int .Values.coturn.relayPorts.max)) -}}
{{- fail (printf "coturn.relayPorts.min (%d) must not be greater than coturn.relayPorts.max (%d)" (int .Values.coturn.relayPorts.min) (int .Values.coturn.relayPorts.max)) -}}
{{- end -}}
{{- if and .Values.kafka.sasl.existingSecret (not (include "webcall.kafkaSaslEnabled" .)) -}}
{{- fail "kafka.sasl.existingSecret is set but kafka.securityProtocol is not SASL_PLAINTEXT or SASL_SSL (or the in-cluster Kafka is enabled): SASL credentials would be ignored" -}}
{{- end -}}
{{- if and (include "webcall.kafkaSaslEnabled" .) (not .Values.kafka.sasl.existingSecret) (not .Values.kafka.sasl.username) -}}
{{- fail (printf "kafka.securityProtocol=%s needs SASL credentials: set kafka.sasl.username and kafka.sasl.password or kafka.sasl.existingSecret" .Values.kafka.securityProtocol) -}}
{{- end -}}
{{- if not (regexMatch "^jdbc:postgresql://" (include "webcall.jdbcUrl" .)) -}}
{{- fail (printf "database.jdbcUrl must start with jdbc:postgresql:// (got %q)" .Values.database.jdbcUrl) -}}
{{- end -}}
{{- $_ := include "webcall.kafkaBootstrapServers" . -}}
{{- $_ = include "webcall.websocketUrls" . -}}
{{- $_ = include "webcall.stunUrls" . -}}
{{- $_ = include "webcall.turnUrls" . -}}
{{- end -}}
