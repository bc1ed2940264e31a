-- Kratos' identities.state is VARCHAR(255) without a check
-- (20210504121624000000_add_identity_states): its admin API takes only
-- `active` and `inactive` (identity.State.IsValid), but a web hook's 200
-- stores any other non-empty state unchecked (selfservice/hook/web_hook.go
-- parseWebhookResponse), and a state longer than 255 characters fails the
-- store. Only `active` is active (Identity.IsActive).
ALTER TABLE identities DROP CONSTRAINT IF EXISTS identities_state_check;
ALTER TABLE identities ALTER COLUMN state TYPE varchar(255);
