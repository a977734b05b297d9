#!/usr/bin/env bash
# Opt-in build-time check of the native profile, for machines without GraalVM/Mandrel:
# runs each app's native build (-Dnative) up to the point where native-image would start
# (-Dquarkus.native.sources-only=true), which runs every Quarkus native build step and
# writes <app>/target/native-sources/ (the runner jar, its lib/ and native-image.args).
# It takes about half a minute per app on two cores, so it is not part of `mvn verify`;
# .github/workflows/kind.yml runs it. Needs the reactor installed (mvn -DskipTests install).
#
#   bash deploy-tests/native-sources.sh [-o]      # -o: Maven offline
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

offline=()
if [[ "${1:-}" == "-o" ]]; then
    offline=(-o)
fi

mvn -B -q "${offline[@]}" package -pl coordinator,stage-worker,receiver -DskipTests \
    -Dnative -Dquarkus.native.sources-only=true

for app in coordinator stage-worker receiver; do
    args="$app/target/native-sources/native-image.args"
    if [[ ! -s "$args" ]]; then
        echo "native-sources: $args is missing" >&2
        exit 1
    fi
    echo "$app: $(ls "$app"/target/native-sources/*-runner.jar) and $(wc -w < "$args") native-image arguments"
done
