#!/usr/bin/env bash
# Starts the local PostgreSQL 15 cluster and creates the lottrack test role and
# database. Idempotent: safe to run when the cluster is already running and the
# role/database already exist. Must run as root (it uses pg_ctlcluster and su).
#
# All progress messages go to stderr; the last (and only) line on stdout is
#   export LOTTRACK_TEST_PG='host=127.0.0.1 port=5432 user=... password=... dbname=...'
# so a caller can do:  eval "$(.ci/postgres-setup.sh)"
#
# Overridable through the environment: PG_VERSION (15), PG_CLUSTER (main),
# PG_PORT (5432), LOTTRACK_PG_USER (lottrack), LOTTRACK_PG_PASSWORD (lottrack),
# LOTTRACK_PG_DB (lottrack_test), PG_READY_TIMEOUT seconds (60).
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PG_PORT="${PG_PORT:-5432}"
DB_USER="${LOTTRACK_PG_USER:-lottrack}"
DB_PASSWORD="${LOTTRACK_PG_PASSWORD:-lottrack}"
DB_NAME="${LOTTRACK_PG_DB:-lottrack_test}"
READY_TIMEOUT="${PG_READY_TIMEOUT:-60}"

log() { echo "postgres-setup: $*" >&2; }

# `su postgres` commands must not inherit an unreadable working directory (e.g. /root).
cd /
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"
command -v pg_ctlcluster >/dev/null || die "pg_ctlcluster not found (install postgresql-${PG_VERSION})"

# Identifiers and the password are interpolated into SQL below: accept only safe characters.
for v in "$DB_USER" "$DB_NAME" "$DB_PASSWORD"; do
    [[ "$v" =~ ^[A-Za-z0-9_]+$ ]] || die "role, database and password must match [A-Za-z0-9_]+ (got '$v')"
done

# 1. Start the cluster (ok if it is already running).
status=0
pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1 || status=$?
if [ "$status" -eq 0 ]; then
    log "cluster ${PG_VERSION}/${PG_CLUSTER} already running"
else
    log "starting cluster ${PG_VERSION}/${PG_CLUSTER}"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >&2 || {
        # A concurrent start may have won the race; only fail if it is still down.
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1 || die "could not start the cluster"
    }
fi

# 2. Wait until it accepts connections.
deadline=$(( $(date +%s) + READY_TIMEOUT ))
until pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; do
    [ "$(date +%s)" -lt "$deadline" ] || die "server not ready after ${READY_TIMEOUT}s"
    sleep 0.5
done
log "server accepting connections on 127.0.0.1:${PG_PORT}"

psql_admin() { su postgres -c "psql -p '$PG_PORT' -v ON_ERROR_STOP=1 -qAtX $*"; }

# 3. Role (SUPERUSER so tests may create schemas and terminate their own backends).
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '${DB_USER}'\"")" = "1" ]; then
    log "role ${DB_USER} exists"
else
    log "creating role ${DB_USER}"
    psql_admin "-c \"CREATE ROLE ${DB_USER} LOGIN PASSWORD '${DB_PASSWORD}' SUPERUSER\"" >&2
fi

# 4. Database.
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'\"")" = "1" ]; then
    log "database ${DB_NAME} exists"
else
    log "creating database ${DB_NAME}"
    su postgres -c "createdb -p '$PG_PORT' -O '${DB_USER}' '${DB_NAME}'" >&2
fi

# 5. Check that the DSN works (password authentication over TCP).
PGPASSWORD="$DB_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$DB_NAME" \
    -v ON_ERROR_STOP=1 -qAtX -c "SELECT 1" >/dev/null || die "cannot log in as ${DB_USER}"

echo "export LOTTRACK_TEST_PG='host=127.0.0.1 port=${PG_PORT} user=${DB_USER} password=${DB_PASSWORD} dbname=${DB_NAME}'"
