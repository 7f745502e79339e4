#!/usr/bin/env bash
# Follows docs/deployment.md, "Plain Debian server", on this machine: an environment file, the
# deployment commands, then bin/academy-services against the local PostgreSQL and Redis; checks
# /healthz and /readyz, a page through the proxy header, then stops everything.
# Variables: ACADEMY_CHECK_DATABASE (default academy_prod, dropped and created), ACADEMY_CHECK_PORT
# (8160), ACADEMY_CHECK_REDIS_DB_QUEUE / _CACHE (2 / 3, emptied), PYTHON (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."

database=${ACADEMY_CHECK_DATABASE:-academy_prod}
port=${ACADEMY_CHECK_PORT:-8160}
python=${PYTHON:-.venv/bin/python}
work=$(mktemp -d)
services_pid=
cleanup() {
  if [ -n "$services_pid" ]; then kill -TERM "$services_pid" 2>/dev/null || true; wait "$services_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "-- PostgreSQL database $database (fresh) and Redis databases emptied"
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" -c "CREATE DATABASE \"$database\""
redis-cli -h 127.0.0.1 -n "${ACADEMY_CHECK_REDIS_DB_QUEUE:-2}" flushdb >/dev/null
redis-cli -h 127.0.0.1 -n "${ACADEMY_CHECK_REDIS_DB_CACHE:-3}" flushdb >/dev/null

echo "-- Environment file (deploy/academy.env.example, filled in)"
sed -e "s|^DJANGO_SECRET_KEY=.*|DJANGO_SECRET_KEY=$("$python" -c 'import secrets; print(secrets.token_urlsafe(50))')|" \
    -e "s|^DJANGO_ALLOWED_HOSTS=.*|DJANGO_ALLOWED_HOSTS=academie.exemple,127.0.0.1|" \
    -e "s|^ACADEMY_VAR_DIR=.*|ACADEMY_VAR_DIR=$work/var|" \
    -e "s|^ACADEMY_MEDIA_ROOT=.*|ACADEMY_MEDIA_ROOT=$work/var/media|" \
    -e "s|^DATABASE_URL=.*|DATABASE_URL=postgres://postgres@127.0.0.1:5432/$database|" \
    -e "s|^REDIS_URL=.*|REDIS_URL=redis://127.0.0.1:6379/${ACADEMY_CHECK_REDIS_DB_CACHE:-3}|" \
    -e "s|^ACADEMY_TASK_REDIS_URL=.*|ACADEMY_TASK_REDIS_URL=redis://127.0.0.1:6379/${ACADEMY_CHECK_REDIS_DB_QUEUE:-2}|" \
    -e "s|^EMAIL_HOST=.*|EMAIL_HOST=|" \
    -e "s|^GUNICORN_BIND=.*|GUNICORN_BIND=127.0.0.1:$port|" \
    -e "s|^WEB_CONCURRENCY=.*|WEB_CONCURRENCY=2|" \
    deploy/academy.env.example > "$work/academy.env"
sed -i '/^EMAIL_HOST=$/d' "$work/academy.env"
export ACADEMY_ENV_FILE="$work/academy.env"

echo "-- Deployment commands: check, migrate, static files, catalogue"
export ACADEMY_PYTHON="$python"
bin/academy-manage check --deploy --fail-level WARNING
bin/academy-manage migrate --noinput >/dev/null
bin/academy-manage collectstatic --noinput >/dev/null
bin/academy-manage import_catalogue >/dev/null
bin/academy-manage import_terms >/dev/null

echo "-- bin/academy-services"
bin/academy-services > "$work/services.log" 2>&1 &
services_pid=$!

healthy=
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/healthz" -H "Host: academie.exemple" -o "$work/healthz.json" 2>/dev/null; then
    healthy=1
    break
  fi
  kill -0 "$services_pid" 2>/dev/null || { cat "$work/services.log"; echo "academy-services stopped" >&2; exit 1; }
  sleep 1
done
[ -n "$healthy" ] || { cat "$work/services.log"; curl -sS "http://127.0.0.1:$port/healthz" -H "Host: academie.exemple" || true; exit 1; }
cat "$work/healthz.json"; echo
"$python" - "$work/healthz.json" <<'PY'
import json, sys
health = json.load(open(sys.argv[1]))
assert health["status"] == "ok", health
backends = {name: check["backend"] for name, check in health["checks"].items()}
assert backends == {"database": "postgresql", "cache": "RedisCache", "queue": "redis", "storage": "local"}, backends
PY
curl -fsS "http://127.0.0.1:$port/readyz" -H "Host: academie.exemple"; echo
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" -H "Host: academie.exemple" -H "X-Forwarded-Proto: https")
[ "$status" = 200 ] || { echo "home page answered $status" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" -H "Host: academie.exemple")
[ "$status" = 301 ] || { echo "plain HTTP answered $status instead of redirecting to HTTPS" >&2; exit 1; }
grep -q '"logger": "gunicorn.access"' "$work/services.log" || { echo "no JSON access log" >&2; exit 1; }
echo "compose-less deployment: healthy"
