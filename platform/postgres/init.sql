-- Olympus database layout: one server, five databases, one login role each.
-- Each Ory role may connect to its own database only: CONNECT is revoked from
-- PUBLIC, on these five databases and on initdb's postgres/template0/template1,
-- so a leaked CIAM credential opens nothing on the IAM side or on the server.
--
-- Run with psql variables for the passwords (see init.sh; the embedded dev
-- stack substitutes the same :'variables' itself):
--   psql -v ciam_kratos_password=... -v ciam_hydra_password=... \
--        -v iam_kratos_password=... -v iam_hydra_password=... \
--        -v olympus_password=... -f init.sql

CREATE ROLE ciam_kratos LOGIN PASSWORD :'ciam_kratos_password';
CREATE ROLE ciam_hydra LOGIN PASSWORD :'ciam_hydra_password';
CREATE ROLE iam_kratos LOGIN PASSWORD :'iam_kratos_password';
CREATE ROLE iam_hydra LOGIN PASSWORD :'iam_hydra_password';
CREATE ROLE olympus LOGIN PASSWORD :'olympus_password';

CREATE DATABASE ciam_kratos OWNER ciam_kratos;
CREATE DATABASE ciam_hydra OWNER ciam_hydra;
CREATE DATABASE iam_kratos OWNER iam_kratos;
CREATE DATABASE iam_hydra OWNER iam_hydra;
CREATE DATABASE olympus OWNER olympus;

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
GRANT CONNECT, TEMPORARY ON DATABASE olympus TO olympus;
