# Sourced by the benchmark scripts: ports, host start-up and wrk result parsing.

# The bootstrap key the benchmarked hosts start with (--Sessions:Auth:BootstrapKey) and the wrk scripts send.
export KEY=${KEY:-bench-bootstrap-key-0001}

free_port() {
  local p=$((15000 + RANDOM % 17000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo $p
}

# wait_healthy URL: up to 60 s for GET URL/healthz to answer 2xx.
wait_healthy() {
  for _ in $(seq 1 300); do
    curl -sf "$1/healthz" >/dev/null && return 0
    sleep 0.2
  done
  echo "no healthy host at $1" >&2
  return 1
}

wrk_rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
wrk_p99() { awk '/ 99%/ {print $2}' "$1"; }
wrk_errors() { awk '/Non-2xx/ {print $5}' "$1" | head -n 1; }

ms() { # a wrk duration (850.00us, 1.20ms, 2.00s, 1.5m) in milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
