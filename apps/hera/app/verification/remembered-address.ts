/** Session-storage key of the address an auto-submitted mail link was for (this tab only). */
export const REMEMBERED_ADDRESS_KEY = "hera.verification.address";
