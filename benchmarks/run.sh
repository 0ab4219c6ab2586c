#!/usr/bin/env bash
# Runs the Pekkube API benchmark (benchmarks/src/main/java/io/pekkube/benchmarks/ApiBenchmark.java).
#
#   benchmarks/run.sh [embedded|cassandra|all] [extra ApiBenchmark args, e.g. --scale 0.1]
#   benchmarks/run.sh cluster [--creates N] [--failovers N]   (ClusterBenchmark: 1 node vs 3 nodes on one Cassandra, failover)
#   benchmarks/run.sh scheduler [--workload basic|anti-affinity|topology-spread] [--nodes N] [--init-pods N] [--pods N]
#                                              (SchedulerBenchmark: scheduler_perf-style throughput)
#   benchmarks/run.sh scheduling-cycle [--workload basic|rs-owned|anti-affinity|topology-spread] [--nodes N]
#                     [--init-pods N] [--pods N] [--warmup N]
#                                              (SchedulingCycleBenchmark: the scheduling cycle in-process, no API server)
#   benchmarks/run.sh pod-startup [--pods N] [--bursts N] [--server-java-opts S]
#                                              (PodStartupBenchmark: create → Running on the process runtime)
#   benchmarks/run.sh shim-start [--open-files N]   (ShimStartBenchmark: a container shim's start, two paths)
#   benchmarks/run.sh scale [--nodes N] [--pods N] [--heap-dump]   (ScaleBenchmark: simulated nodes, control-plane RSS)
#   benchmarks/run.sh heap-holders <dump.hprof> [class prefix...]   (HeapHolders: what holds a heap dump's memory)
#
# Each store gets its own server process (./pekkube server, with PEKKUBE_NO_BUILD=1) and, for
# cassandra, its own Cassandra node. Results: benchmarks/target/results/results-<store>-<time>.md;
# server logs and thread dumps: benchmarks/target/work-<store>-<time>/.
# Set BENCH_NO_BUILD=1 to skip the Maven build (the server jar and this module must be built).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WHAT="${1:-all}"
shift || true
case "$WHAT" in
  embedded|cassandra) STORES=("$WHAT") ;;
  all) STORES=(embedded cassandra) ;;
  cluster) STORES=(cassandra) ;;
  scheduler|scheduling-cycle|pod-startup|shim-start|scale|heap-holders) STORES=() ;;
  *) echo "usage: $0 [embedded|cassandra|all] [--scale F] | $0 cluster [--creates N] [--failovers N] | $0 scheduler|scheduling-cycle|pod-startup|scale [...] | $0 heap-holders <dump.hprof>" >&2
     exit 2 ;;
esac

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  echo "Building the server and the benchmark..." >&2
  (cd "$ROOT" && mvn -B -q -DskipTests package -pl cluster-config,benchmarks -am) >&2
fi
if [[ " ${STORES[*]} " == *" cassandra "* ]] && [ ! -d "$ROOT/cassandra-dist/target/lib" ]; then
  (cd "$ROOT" && mvn -B -q package -pl cassandra-dist) >&2
fi
# The benchmark's classpath: its classes plus the server's runtime classpath (for CassandraLauncher).
CP="$ROOT/benchmarks/target/classes:$ROOT/cluster-config/target/pekkube.jar:$ROOT/cluster-config/target/lib/*"

if [ "$WHAT" = heap-holders ]; then
  exec java -Xmx8g -cp "$CP" io.pekkube.benchmarks.HeapHolders "$@"
fi
if [ "$WHAT" = cluster ]; then
  echo "=== cluster (nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg)) ===" >&2
  exec java -Xmx512m -Dpekkube.cassandra.lib="$ROOT/cassandra-dist/target/lib" -Dpekkube.root="$ROOT" \
    -cp "$CP" io.pekkube.benchmarks.ClusterBenchmark --root "$ROOT" "$@"
fi
case "$WHAT" in
  scheduler) MAIN=io.pekkube.benchmarks.SchedulerBenchmark ;;
  scheduling-cycle) MAIN=io.pekkube.benchmarks.SchedulingCycleBenchmark ;;
  pod-startup) MAIN=io.pekkube.benchmarks.PodStartupBenchmark ;;
  shim-start) MAIN=io.pekkube.node.runtime.ShimStartBenchmark ;;
  scale) MAIN=io.pekkube.benchmarks.ScaleBenchmark ;;
  *) MAIN= ;;
esac
if [ -n "$MAIN" ]; then
  echo "=== $WHAT (nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg)) ===" >&2
  exec java -Xmx1g -Dpekkube.root="$ROOT" -cp "$CP" "$MAIN" --root "$ROOT" "$@"
fi
for store in "${STORES[@]}"; do
  echo "=== store: $store (nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg)) ===" >&2
  java -Xmx512m -Dpekkube.cassandra.lib="$ROOT/cassandra-dist/target/lib" -Dpekkube.root="$ROOT" \
    -cp "$CP" io.pekkube.benchmarks.ApiBenchmark --store "$store" --root "$ROOT" "$@"
done
