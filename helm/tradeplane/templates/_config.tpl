{{/*
The config the chart generates for one service (YAML onto the service's
config message, proto/tradeplane/config/v1/services.proto): bus endpoints on
the Services' DNS names, secrets' paths, store and telemetry. The service's
`config` value is merged over it (configmap.yaml).
*/}}
{{- define "tradeplane.config" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $name := .name -}}
{{- $secrets := "/run/secrets/tradeplane" -}}
{{- $tls := $v.admin.tls.enabled -}}
{{- $ep := dict "root" $root -}}
common:
  admin:
    token_file: {{ $secrets }}/admin-tokens
    {{- if $tls }}
    bind_address: 0.0.0.0
    tls:
      cert_file: /etc/tradeplane/admin-tls/tls.crt
      key_file: /etc/tradeplane/admin-tls/tls.key
    {{- end }}
  telemetry:
    log_level: {{ $v.logLevel }}
    metrics_bind_address: 0.0.0.0
    {{- if $v.tracing.enabled }}
    tracing:
      enabled: true
      otlp_endpoint: {{ required "tracing.otlpEndpoint is required when tracing.enabled" $v.tracing.otlpEndpoint | quote }}
      protocol: http
      sample_ratio: {{ $v.tracing.sampleRatio }}
    {{- end }}
  {{- if gt (int (index $v.services $name).replicas) 1 }}
  # Several replicas: one leads (the store's advisory lock), the others stand by.
  leader_election:
    enabled: true
    poll_interval_ms: {{ $v.leaderElection.pollIntervalMs }}
  {{- end }}
  store:
    conninfo: {{ $v.postgresql.conninfo | quote }}
    pool_size: {{ $v.postgresql.poolSize }}
    connect_timeout_ms: {{ $v.postgresql.connectTimeoutMs }}
{{- $venue := dict "kind" $v.venue.kind "venue" $v.venue.venue "rest_url" $v.venue.restUrl "ws_url" $v.venue.wsUrl "key_id" $v.venue.keyId "recv_window_ms" $v.venue.recvWindowMs "timeout_ms" $v.venue.timeoutMs }}
{{- $symbols := list }}
{{- range $v.trading.instruments }}{{ $symbols = append $symbols .id.symbol }}{{ end }}
{{- if eq $name "market-data" }}
instruments: {{ toYaml $v.trading.instruments | nindent 2 }}
feeds:
  - binance:
      venue: {{ $v.venue.venue }}
      ws_url: {{ $v.venue.wsUrl | quote }}
      rest_url: {{ $v.venue.restUrl | quote }}
      symbols: {{ toYaml $symbols | nindent 8 }}
{{- else if eq $name "signal" }}
market_data: {endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "market-data" "port" 7100) $ep) | quote }}}
executions: {endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "execution" "port" 7401) $ep) | quote }}}
risk:
  socket: {endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "risk" "port" 7300) $ep) | quote }}}
  timeout_ms: 2000
strategies: {{ toYaml $v.trading.strategies | nindent 2 }}
instruments: {{ toYaml $v.trading.instruments | nindent 2 }}
{{- else if eq $name "risk" }}
execution:
  socket: {endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "execution" "port" 7400) $ep) | quote }}}
subscriptions:
  - endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "market-data" "port" 7100) $ep) | quote }}
  - endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "execution" "port" 7401) $ep) | quote }}
  - endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "sentinel" "port" 7600) $ep) | quote }}
  - endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "reconciler" "port" 7700) $ep) | quote }}
limits: {{ toYaml $v.trading.limits | nindent 2 }}
approval_key_file: {{ $secrets }}/approval.key
{{- else if eq $name "execution" }}
signer:
  socket:
    endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "signer" "port" 7500) $ep) | quote }}
    curve:
      enabled: true
      key_pair_file: {{ $secrets }}/execution.curve
      server_public_key_file: {{ $secrets }}/signer.pub
  timeout_ms: 5000
market_data: {endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "market-data" "port" 7100) $ep) | quote }}}
venue: {{ toYaml $venue | nindent 2 }}
approval_key_file: {{ $secrets }}/approval.key
instruments: {{ toYaml $v.trading.instruments | nindent 2 }}
{{- else if eq $name "signer" }}
server:
  endpoint: "tcp://*:7500"
  curve:
    enabled: true
    key_pair_file: {{ $secrets }}/signer.curve
    allowed_clients_file: {{ $secrets }}/signer-clients
keystore: /etc/tradeplane/keystore/{{ $v.signerKeystore.key }}
passphrase_file: {{ $secrets }}/keystore.passphrase
{{- else if eq $name "sentinel" }}
subscriptions:
  - endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "market-data" "port" 7100) $ep) | quote }}
  - endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "execution" "port" 7401) $ep) | quote }}
instruments: {{ toYaml $v.trading.instruments | nindent 2 }}
{{- if $tls }}
risk_admin_target: {{ printf "%s-risk:7390" (include "tradeplane.fullname" $root) | quote }}
risk_admin_token_file: {{ $secrets }}/operator.token
risk_admin_ca_file: /etc/tradeplane/admin-tls/ca.crt
{{- end }}
{{- else if eq $name "reconciler" }}
execution:
  socket: {endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "execution" "port" 7400) $ep) | quote }}}
  timeout_ms: 5000
signer:
  socket:
    endpoint: {{ include "tradeplane.endpoint" (merge (dict "service" "signer" "port" 7500) $ep) | quote }}
    curve:
      enabled: true
      key_pair_file: {{ $secrets }}/reconciler.curve
      server_public_key_file: {{ $secrets }}/signer.pub
  timeout_ms: 5000
venue: {{ toYaml $venue | nindent 2 }}
{{- if $tls }}
risk_admin_target: {{ printf "%s-risk:7390" (include "tradeplane.fullname" $root) | quote }}
risk_admin_token_file: {{ $secrets }}/operator.token
risk_admin_ca_file: /etc/tradeplane/admin-tls/ca.crt
{{- end }}
{{- end }}
{{- end -}}

{{/* Secret keys each service mounts: least privilege. */}}
{{- define "tradeplane.secretKeys" -}}
{{- $keys := list "admin-tokens" -}}
{{- if eq .name "risk" }}{{ $keys = append $keys "approval.key" }}{{ end -}}
{{- if eq .name "execution" }}{{ $keys = concat $keys (list "approval.key" "execution.curve" "signer.pub") }}{{ end -}}
{{- if eq .name "signer" }}{{ $keys = concat $keys (list "keystore.passphrase" "signer.curve" "signer-clients") }}{{ end -}}
{{- if eq .name "reconciler" }}{{ $keys = concat $keys (list "reconciler.curve" "signer.pub") }}{{ end -}}
{{- if and (has .name (list "sentinel" "reconciler")) .root.Values.admin.tls.enabled }}{{ $keys = append $keys "operator.token" }}{{ end -}}
{{- toJson $keys -}}
{{- end -}}
