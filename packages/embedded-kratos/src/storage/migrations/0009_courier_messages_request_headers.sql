-- Kratos' 20251215000000000000_courier_messages_add_request_headers: the
-- allow-listed headers of the flow request a message was queued for (login,
-- registration and recovery codes), handed to the HTTP channel's template as
-- `request_headers`. Messages queued before this column have NULL (the
-- template sees null, as Kratos' nil json.RawMessage marshals).
ALTER TABLE courier_messages ADD COLUMN IF NOT EXISTS request_headers jsonb;
