/** Why the user-code form came back: the page shows one clear sentence for each. */
export const DEVICE_ERRORS = ["invalid_code", "expired", "unavailable", "too_many_attempts"] as const;
export type DeviceError = (typeof DEVICE_ERRORS)[number];

export function deviceError(value: string | undefined): DeviceError | undefined {
  return DEVICE_ERRORS.find((error) => error === value);
}
