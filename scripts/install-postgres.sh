#!/usr/bin/env bash
# Makes sure PostgreSQL's server programs (initdb, pg_ctl, postgres) are installed, for the
# connectors tests, which start a throwaway server of their own; prints their directory.
# Installs the Debian/Ubuntu package `postgresql` with apt-get only when no initdb is found,
# so running it again does nothing. Output of apt-get goes to stderr: stdout is the directory.
# Needs: root or sudo, apt-get (only when installing).
set -euo pipefail

has_server() {
    [[ -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/postgres" ]]
}

# Same search order as the tests' PostgresServer.
find_bindir() {
    local dir
    if [[ -n "${SLUICE_PG_BINDIR:-}" ]] && has_server "$SLUICE_PG_BINDIR"; then
        echo "$SLUICE_PG_BINDIR"; return 0
    fi
    if command -v pg_config >/dev/null && dir="$(pg_config --bindir 2>/dev/null)" && has_server "$dir"; then
        echo "$dir"; return 0
    fi
    # Newest major version first.
    while read -r dir; do
        if has_server "$dir"; then echo "$dir"; return 0; fi
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k4 -V -r)
    if command -v initdb >/dev/null; then
        dir="$(dirname "$(readlink -f "$(command -v initdb)")")"
        if has_server "$dir"; then echo "$dir"; return 0; fi
    fi
    return 1
}

if bindir="$(find_bindir)"; then
    echo "$bindir"
    exit 0
fi

command -v apt-get >/dev/null || {
    echo "install-postgres: no PostgreSQL server found and no apt-get; install PostgreSQL (initdb, pg_ctl, postgres) yourself" >&2
    exit 1
}
as_root=""
if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || { echo "install-postgres: need root or sudo to install postgresql" >&2; exit 1; }
    as_root="sudo"
fi

echo "install-postgres: installing the postgresql package" >&2
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq >&2
$as_root apt-get install -y -qq --no-install-recommends postgresql >&2

bindir="$(find_bindir)" || { echo "install-postgres: postgresql installed, but initdb is still not found" >&2; exit 1; }
echo "$bindir"
