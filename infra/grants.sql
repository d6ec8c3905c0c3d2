-- One-time database grants (IAM decides who may log in; SQL decides what they may do there).
-- Run as the instance's `postgres` user, connected to the TelePay database (infra/README.md § Database):
--   \set project <PROJECT_ID>
--   \i infra/grants.sql
-- telepay-jobs (the migrate job) owns the schema; the three services only read and write rows.
\set ON_ERROR_STOP on
\if :{?project}
\else
  \echo 'set the project first: \\set project <PROJECT_ID>'
  \quit
\endif
\set jobs 'telepay-jobs@' :project '.iam'
\set ingress 'telepay-ingress@' :project '.iam'
\set bot 'telepay-bot@' :project '.iam'
\set notifier 'telepay-notifier@' :project '.iam'

-- Handing the schema to telepay-jobs and setting defaults for what it creates both need postgres
-- to be a member of that role (IAM users start with no privileges and no members).
GRANT :"jobs" TO CURRENT_USER;
ALTER SCHEMA public OWNER TO :"jobs";
-- Migrations keep their journal in their own schema ("drizzle"), which telepay-jobs must create.
GRANT CREATE ON DATABASE :"DBNAME" TO :"jobs";
GRANT USAGE ON SCHEMA public TO :"ingress", :"bot", :"notifier";
ALTER DEFAULT PRIVILEGES FOR ROLE :"jobs" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"ingress", :"bot", :"notifier";
ALTER DEFAULT PRIVILEGES FOR ROLE :"jobs" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"ingress", :"bot", :"notifier";
-- Tables that already exist (grants re-run after a migration): the defaults only cover new ones.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"ingress", :"bot", :"notifier";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"ingress", :"bot", :"notifier";
