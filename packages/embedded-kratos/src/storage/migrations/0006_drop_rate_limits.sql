-- Olympus' abuse limits moved to Hera's edge (apps/hera/lib/server/kratos-edge),
-- where they hold in front of the real Kratos too; this server carries no
-- Olympus-only behaviour, so the counters table of 0005 goes.
DROP TABLE IF EXISTS olympus_rate_limits;
