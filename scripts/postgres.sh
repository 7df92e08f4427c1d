#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster (if it is not running) and makes the test role `qoltanba`
# (password `qoltanba`, allowed to create databases: each test makes its own).
set -euo pipefail
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  $sudo pg_ctlcluster "$version" main start
fi
as_postgres="sudo -u postgres"; [ "$(id -u)" -ne 0 ] || as_postgres="runuser -u postgres --"
$as_postgres psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'qoltanba') THEN
    CREATE ROLE qoltanba LOGIN PASSWORD 'qoltanba' CREATEDB;
  END IF;
END $$;
SQL
