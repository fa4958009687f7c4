#!/usr/bin/env bash
# Runs every SessionGate benchmark and prints Markdown tables (also saved to
# benchmarks/target/results.md). Full run: about 10-12 minutes; --quick: about 2-3.
#
#   benchmarks/run.sh [--quick] [--no-build]
#
# Needs only a JDK 17+; Redis is the redis-server binary inside the embedded-redis jar
# (or an external one: SESSIONGATE_REDIS_URL=redis://host:port). Everything stays on
# loopback. JMH progress goes to stderr, the tables to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=""
build=1
for arg in "$@"; do
	case "$arg" in
		--quick) quick="--quick" ;;
		--no-build) build=0 ;;
		*) echo "usage: benchmarks/run.sh [--quick] [--no-build]" >&2; exit 2 ;;
	esac
done

if [ "$build" = 1 ]; then
	./mvnw -B -q -pl benchmarks -am -DskipTests package
fi

jar=benchmarks/target/benchmarks.jar
results=benchmarks/target/results${quick:+-quick}.md

{
	echo "# SessionGate benchmarks ${quick:+(quick) }$(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM"
	echo "- java: $(java -version 2>&1 | head -1)"
	echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo
	java -jar "$jar" micro $quick
	java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -jar "$jar" http $quick
	java -Xms4g -Xmx4g -Djdk.attach.allowAttachSelf=true -jar "$jar" memory
	echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results"
