-- Olympus database layout: one server, five databases, a login role for each
-- Ory database and three for the shared `olympus` database. A role may
-- connect to its own database only: CONNECT is revoked from PUBLIC, on these
-- five databases and on initdb's postgres/template0/template1, so a leaked
-- CIAM credential opens nothing on the IAM side or on the server.
--
-- The `olympus` database (settings, audit log, Athena's sessions) holds both
-- domains' rows; its row-level security gives a row to the role a connection
-- logged in as. So each Athena has a role of its own (olympus_ciam,
-- olympus_iam) that owns nothing: it cannot switch the policies or the audit
-- log's append-only trigger off, and no session setting makes it the other
-- domain. The tables belong to olympus_migrator, which only the migration step
-- uses (the devstack at start, the olympus-migrate one-shot in Compose); the
-- grants on the tables are the migrations' (packages/athena-store/src/olympus-db).
--
-- Run with psql variables for the passwords (see init.sh; the embedded dev
-- stack and the olympus-migrate one-shot substitute the same :'variables'
-- themselves, and re-apply this file idempotently on every start):
--   psql -v ciam_kratos_password=... -v ciam_hydra_password=... \
--        -v iam_kratos_password=... -v iam_hydra_password=... \
--        -v olympus_migrator_password=... -v olympus_ciam_password=... \
--        -v olympus_iam_password=... -f init.sql

CREATE ROLE ciam_kratos LOGIN PASSWORD :'ciam_kratos_password';
CREATE ROLE ciam_hydra LOGIN PASSWORD :'ciam_hydra_password';
CREATE ROLE iam_kratos LOGIN PASSWORD :'iam_kratos_password';
CREATE ROLE iam_hydra LOGIN PASSWORD :'iam_hydra_password';
CREATE ROLE olympus_migrator LOGIN PASSWORD :'olympus_migrator_password';
CREATE ROLE olympus_ciam LOGIN PASSWORD :'olympus_ciam_password';
CREATE ROLE olympus_iam LOGIN PASSWORD :'olympus_iam_password';

CREATE DATABASE ciam_kratos OWNER ciam_kratos;
CREATE DATABASE ciam_hydra OWNER ciam_hydra;
CREATE DATABASE iam_kratos OWNER iam_kratos;
CREATE DATABASE iam_hydra OWNER iam_hydra;
CREATE DATABASE olympus OWNER olympus_migrator;

REVOKE CONNECT, TEMPORARY ON DATABASE ciam_kratos FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE ciam_hydra FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE iam_kratos FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE iam_hydra FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE olympus FROM PUBLIC;

-- initdb's own databases grant CONNECT and TEMPORARY to PUBLIC too: without
-- these lines every login role could open `postgres` and `template1`, which
-- are not theirs: a leaked Ory or olympus credential must open one database
-- only. Only the superuser needs them, and it bypasses these grants: it still
-- connects there, runs this file and CREATE DATABASE.
-- template0 refuses connections anyway (datallowconn = false); its grant goes
-- too, so that a later ALTER DATABASE … ALLOW_CONNECTIONS opens nothing.
REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE template0 FROM PUBLIC;

GRANT CONNECT, TEMPORARY ON DATABASE ciam_kratos TO ciam_kratos;
GRANT CONNECT, TEMPORARY ON DATABASE ciam_hydra TO ciam_hydra;
GRANT CONNECT, TEMPORARY ON DATABASE iam_kratos TO iam_kratos;
GRANT CONNECT, TEMPORARY ON DATABASE iam_hydra TO iam_hydra;
GRANT CONNECT, TEMPORARY ON DATABASE olympus TO olympus_migrator;
-- No TEMPORARY for the Athena roles: a temporary table could shadow a real
-- one in their own session, and they need none.
REVOKE TEMPORARY ON DATABASE olympus FROM olympus_ciam, olympus_iam;
GRANT CONNECT ON DATABASE olympus TO olympus_ciam, olympus_iam;
