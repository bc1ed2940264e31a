/** gofrs/uuid's FromString as encoding/json reaches it through UUID.UnmarshalText. */

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** gofrs/uuid's error text for a string FromString refuses. */
export function uuidParseError(value: string): string {
  const len = Buffer.byteLength(value, "utf8");
  if (![32, 34, 36, 38, 41, 45].includes(len)) return `uuid: incorrect UUID length ${len} in string ${JSON.stringify(value)}`;
  return `uuid: incorrect UUID format in string ${JSON.stringify(value)}`;
}

/** The canonical form of a UUID FromString accepts (braces, `urn:uuid:`, 32 digits), else undefined. */
export function parseUuid(value: string): string | undefined {
  let v = value;
  if (v.startsWith("urn:uuid:")) v = v.slice(9);
  if (v.startsWith("{") && v.endsWith("}")) v = v.slice(1, -1);
  if (!UUID.test(v)) return undefined;
  const hex = v.replace(/-/g, "").toLowerCase();
  // Hyphens must be all present or all absent, at the canonical places.
  if (v.length === 36 && !/^.{8}-.{4}-.{4}-.{4}-.{12}$/.test(v)) return undefined;
  if (v.length !== 36 && v.length !== 32) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
