export {
  AUDIT_OUTCOMES,
  createAuditLog,
  type AuditActor,
  type AuditEvent,
  type AuditEventInput,
  type AuditLog,
  type AuditOutcome,
  type AuditQuery,
} from "./store";
