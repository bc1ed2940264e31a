#!/bin/sh
# Postgres entrypoint hook (mounted into /docker-entrypoint-initdb.d/): runs
# init.sql once, on an empty data volume, with each role's password taken
# from the container's environment. Every password is required. (The
# olympus-migrate one-shot re-applies init.sql on every `up`, which is how an
# existing volume gets roles added since.)
set -eu
: "${CIAM_KRATOS_DB_PASSWORD:?}" "${CIAM_HYDRA_DB_PASSWORD:?}" "${IAM_KRATOS_DB_PASSWORD:?}" "${IAM_HYDRA_DB_PASSWORD:?}"
: "${OLYMPUS_MIGRATOR_DB_PASSWORD:?}" "${CIAM_OLYMPUS_DB_PASSWORD:?}" "${IAM_OLYMPUS_DB_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v ciam_kratos_password="$CIAM_KRATOS_DB_PASSWORD" \
  -v ciam_hydra_password="$CIAM_HYDRA_DB_PASSWORD" \
  -v iam_kratos_password="$IAM_KRATOS_DB_PASSWORD" \
  -v iam_hydra_password="$IAM_HYDRA_DB_PASSWORD" \
  -v olympus_migrator_password="$OLYMPUS_MIGRATOR_DB_PASSWORD" \
  -v olympus_ciam_password="$CIAM_OLYMPUS_DB_PASSWORD" \
  -v olympus_iam_password="$IAM_OLYMPUS_DB_PASSWORD" \
  -f /etc/olympus/postgres/init.sql
