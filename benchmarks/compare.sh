#!/usr/bin/env bash
# Runs the HTTP benchmark of another commit and of this tree alternately, so their Redis
# figures are measured in the same window on the same machine:
#
#   benchmarks/compare.sh <commit> [rounds] [--full]
#
# Builds both benchmark jars (the other commit in a temporary git worktree), then runs
# `java -jar benchmarks.jar http --quick` (or the full HTTP run with --full) for the other
# commit, then this tree, `rounds` times (default 2), and prints the (6)/(4) ratio and the
# Redis server time rows of every run.
set -euo pipefail
cd "$(dirname "$0")/.."
other=${1:?usage: benchmarks/compare.sh <commit> [rounds] [--full]}
rounds=${2:-2}
mode="--quick"
[ "${3:-}" = "--full" ] && mode=""
tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/other" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git worktree add --detach "$tmp/other" "$other" >/dev/null
(cd "$tmp/other" && ./mvnw -B -q -pl benchmarks -am -DskipTests package)
./mvnw -B -q -pl benchmarks -am -DskipTests package
for round in $(seq "$rounds"); do
	for side in other this; do
		jar=benchmarks/target/benchmarks.jar
		[ "$side" = other ] && jar="$tmp/other/benchmarks/target/benchmarks.jar"
		echo "### $side ($([ "$side" = other ] && echo "$other" || git rev-parse --short HEAD)), run $round, load $(cut -d' ' -f1 /proc/loadavg)"
		java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -jar "$jar" http $mode 2>/dev/null \
			| grep -E '^\| \(6\)/\(4\)|^\| (ratio|variant) .*(median|µs)|^\| \([456]\) .*\| [0-9.]+ +\| [0-9.]+ +\| [0-9.]+ +\| [0-9.]+ +\|$' || true
	done
done
