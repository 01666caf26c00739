#!/usr/bin/env bash
# Rebuild the initial revision from the models (only while no database in the field has it).
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -f storage/migrations/versions/0001_initial_schema.py /tmp/regen.sqlite3
python - <<'PY'
from alembic import command
from storage.migrate import alembic_config
command.revision(alembic_config("sqlite+aiosqlite:////tmp/regen.sqlite3"), message="initial schema", autogenerate=True, rev_id="0001")
PY
ruff format -q storage/migrations && ruff check -q --fix storage/migrations
