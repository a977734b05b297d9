#!/usr/bin/env bash
# Checks for kind.yml, against the coordinator's REST API on localhost:8080 (a port-forward to
# svc/$RELEASE-coordinator, restarted here if it is gone).
#   kind-check.sh progress SECONDS   batches keep succeeding for SECONDS: at least one per two
#                                    seconds completes, none fails, recent ones carry input
#   kind-check.sh workers N          within 2 minutes, exactly N workers are registered
set -euo pipefail

: "${RELEASE:?}" "${NAMESPACE:?}" "${JOB:?}"
API=localhost:8080

ensure_port_forward() {
    if ! curl -fsS "$API/q/health/live" > /dev/null 2>&1; then
        echo "(re)starting the port-forward"
        nohup kubectl -n "$NAMESPACE" port-forward "svc/$RELEASE-coordinator" 8080:8080 >> /tmp/port-forward.log 2>&1 &
        for _ in $(seq 30); do
            curl -fsS "$API/q/health/live" > /dev/null 2>&1 && return 0
            sleep 1
        done
        echo "the coordinator's REST API is not reachable" >&2
        exit 1
    fi
}

job_field() {
    curl -fsS "$API/api/jobs/$JOB" | jq -r ".$1"
}

progress() {
    local seconds="$1"
    ensure_port_forward
    local done0 failed0 done1 failed1
    done0="$(job_field batchesCompleted)"
    failed0="$(job_field batchesFailed)"
    sleep "$seconds"
    ensure_port_forward
    done1="$(job_field batchesCompleted)"
    failed1="$(job_field batchesFailed)"
    echo "batches completed $done0 -> $done1, failed $failed0 -> $failed1 over ${seconds}s"
    curl -fsS "$API/api/jobs/$JOB/batches?limit=5" | jq -c '.[] | {batchTime, inputRecords, status, processingTimeMs, error}'
    if (( failed1 != failed0 )); then
        echo "batches failed:" >&2
        curl -fsS "$API/api/jobs/$JOB/batches?limit=50" | jq -c '.[] | select(.status == "FAILED")' >&2
        exit 1
    fi
    if (( done1 - done0 < seconds / 2 )); then
        echo "too few batches completed: $((done1 - done0)) in ${seconds}s" >&2
        exit 1
    fi
    local fed
    fed="$(curl -fsS "$API/api/jobs/$JOB/batches?limit=10" | jq '[.[] | select(.status == "SUCCEEDED") | .inputRecords] | add // 0')"
    if (( fed == 0 )); then
        echo "the recent batches carried no input" >&2
        exit 1
    fi
}

workers() {
    local want="$1" have=""
    for _ in $(seq 60); do
        ensure_port_forward
        have="$(curl -fsS "$API/api/workers" | jq length)"
        if [[ "$have" == "$want" ]]; then
            curl -fsS "$API/api/workers" | jq -c '.[] | {id, address, slots, runningTasks, tasksSucceeded}'
            return 0
        fi
        sleep 2
    done
    echo "expected $want workers, the coordinator has $have" >&2
    curl -fsS "$API/api/workers" | jq . >&2
    exit 1
}

"$@"
