import { afterAll, describe, expect, it } from "vitest";
import { hashAlgorithm, isValidHashFormat } from "./comparator";
import { WorkerPasswordHasher } from "./hasher";

/**
 * Kratos' hash comparator (hash/hash_comparator.go, Compare and
 * IsValidHashFormat). The vectors are those Kratos' own TestCompare
 * (hash/hasher_test.go) accepts and refuses, plus openssl passwd output for
 * the crypt(3) families.
 */
const hasher = new WorkerPasswordHasher({ algorithm: "bcrypt", bcrypt: { cost: 4 } }, 1);
afterAll(() => hasher.close());

const matches: [string, string, string][] = [
  ["bcrypt", "test", "$2a$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6"],
  ["argon2id", "test", "$argon2id$v=19$m=32,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw"],
  ["argon2id", "test", "$argon2id$v=19$m=32,t=5,p=4$cm94YnRVOW5jZzFzcVE4bQ$fBxypOL0nP/zdPE71JtAV71i487LbX3fJI5PoTN6Lp4"],
  ["argon2i", "test", "$argon2i$v=19$m=65536,t=3,p=4$kk51rW/vxIVCYn+EG4kTSg$NyT88uraJ6im6dyha/M5jhXvpqlEdlS/9fEm7ScMb8c"],
  [
    "pbkdf2",
    "test",
    "$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI",
  ],
  [
    "pbkdf2",
    "test",
    "$pbkdf2-sha512$i=100000,l=32$bdHBpn7OWOivJMVJypy2UqR0UnaD5prQXRZevj/05YU$+wArTfv1a+bNGO1iZrmEdVjhA+lL11wF4/IxpgYfPwc",
  ],
  ["scrypt", "test", "$scrypt$ln=16384,r=8,p=1$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE="],
  [
    "firebasescrypt",
    "8x4WjoDbSxJZdR",
    "$firescrypt$ln=14,r=8,p=1$sPtDhWcd1MfdAw==$xbSou7FOl6mChCyzpCPIQ7tku7nsQMTFtyOZSXXd7tjBa4NtimOx7v42Gv2SfzPQu1oxM2/k4SsbOu73wlKe1A==$Bw==$YE0dO4bwD4JnJafh6lZZfkp1MtKzuKAXQcDCJNJNyeCHairWHKENOkbh3dzwaCdizzOspwr/FITUVlnOAwPKyw==",
  ],
  ["ssha", "test123", "{SSHA}JFZFs0oHzxbMwkSJmYVeI8MnTDy/276a"],
  ["ssha", "test123", "{SSHA256}czO44OTV17PcF1cRxWrLZLy9xHd7CWyVYplr1rOhuMlx/7IK"],
  ["ssha", "test123", "{SSHA512}xPUl/px+1cG55rUH4rzcwxdOIPSB2TingLpiJJumN2xyDWN4Ix1WQG3ihnvHaWUE8MYNkvMi5rf0C9NYixHsE6Yh59M="],
  ["sha", "test", "$sha1$pf=e1NBTFR9e1BBU1NXT1JEfQ==$NW9wbWtnejAzcg==$2qU2SGWP8viTM1md3FiI3+rjWXQ="],
  ["sha", "test", "$sha1$pf=Pz9zdGF0aWNQcmVmaXg/P3tTQUxUfXtQQVNTV09SRH0=$NW9wbWtnejAzcg==$SAAxMUn7jxckQXkBmsVF0nHwqso="],
  ["sha", "test", "$sha256$pf=e1NBTFR9JCR7UEFTU1dPUkR9$NW9wbWtnejAzcg==$HokCOi9OtiZaZRvnkgemV3B4UUHpI7kA8zq/EZWH2NY="],
  [
    "sha",
    "test",
    "$sha512$pf=e1NBTFR9e1BBU1NXT1JEfQ==$NW9wbWtnejAzcg==$6ctpVuApMNp0CgBXcdHw/GC562eFEFGr4gpgANX8ZYsX+j5B19IkdmOY2Fytsz3QUwSWdGcUjbqwgJGTH0UYvw==",
  ],
  ["md5", "test", "$md5$CY9rzUYh03PK3k6DJie09g=="],
  ["md5", "test", "$md5$pf=e1NBTFR9e1BBU1NXT1JEfQ==$MTIz$q+RdKCgc+ipCAcm5ChQwlQ=="],
  ["md5", "ory", "$md5$pf=e1BBU1NXT1JEfXtTQUxUfSQ/$MTIzNDU2Nzg5$8PhwWanVRnpJAFK4NUjR0w=="],
  ["md5crypt", "test", "$md5-crypt$TVEiiKNb$SN6/pUaRQS/E8Jh46As2C/"],
  ["md5crypt", "test", "$md5-crypt$$whuMjZj.HMFoaTaZRRtkO0"],
  // openssl passwd -1 -salt saltsalt password
  ["md5crypt", "password", "$md5-crypt$saltsalt$qjXMvbEw8oaL.CzflDtaK/"],
  // openssl passwd -5 -salt saltstring 'Hello world!' (rounds omitted: 5000)
  ["sha256crypt", "Hello world!", "$sha256-crypt$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5"],
  // openssl passwd -6 -salt 'rounds=10000$saltstringsaltstring' 'Hello world!'
  [
    "sha512crypt",
    "Hello world!",
    "$sha512-crypt$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.",
  ],
  ["hmac", "test", "$hmac-md4$MWQ5ZTI4Nzc2Zjg4YmE2MTQ5YjQ0OTMyOGE4NWU4YjA=$MTIzNDU="],
  ["hmac", "test", "$hmac-md5$ZmU4Njk3Zjc0MmQwODA0MDVkMTI3MGU2MTYzMzE2Zjk=$MTIzNDU="],
];

const mismatches: [string, string][] = [
  ["test", "$2a$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL7"],
  ["test", "$argon2id$v=19$m=32,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRN2"],
  ["test", "$argon2i$v=19$m=65536,t=3,p=4$pZ+27D6B0bCi0DwSmANF1w$4RNCUu4Uyu7eTIvzIdSuKz+I9idJlX/ykn6J10/W0EU"],
  ["test", "$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpp"],
  // Not strict base64 (trailing bits), missing parameters, upper-case parameter names.
  ["test", "$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXcc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI"],
  ["test", "$pbkdf2-sha256$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI"],
  ["test", "$pbkdf2-sha512$I=100000,l=32$bdHBpn7OWOivJMVJypy2UqR0UnaD5prQXRZevj/05YU$+wArTfv1a+bNGO1iZrmEdVjhA+lL11wF4/IxpgYfPwc"],
  ["test", "$scrypt$ln=16385,r=8,p=1$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE="],
  ["tesu", "$scrypt$ln=16384,r=8,p=1$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE="],
  ["badtest", "{SSHA}JFZFs0oHzxbMwkSJmYVeI8MnTDy/276a"],
  ["", "{SSHA}tooshort"],
  ["tset", "$sha1$pf=e1NBTFR9e1BBU1NXT1JEfQ==$NW9wbWtnejAzcg==$2qU2SGWP8viTM1md3FiI3+rjWXQ="],
  ["test", "$sha1$pf=$NW9wbWtnejAzcg==$2qU2SGWP8viTM1md3FiI3+rjWXQ="],
  ["test", "$md5$WhBei51A4TKXgNYuoiZdig=="],
  ["ory", "$md5$$"],
  ["ory", "$md5$pf=MTIz$Z$"],
  ["test", "$md5-crypt$xWMlm2eL$GGTOpgZu4p2k6ORprAu3b."],
  ["test", "$md5-crypt$whuMjZj.HMFoaTaZRRtkO0"],
  ["ory", "$sha256-crypt$$"],
  ["Hello world?", "$sha256-crypt$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5"],
  ["test", "$hmac-md5$ZmU4Njk3Zjc0MmQwODA0MDVkMTI3MGU2MTYzMzE2Zjk="],
  ["test", "$hmac-md5$$MTIzNDU="],
  ["ory", "$hmac-md4$MWQ5ZTI4Nzc2Zjg4YmE2MTQ5YjQ0OTMyOGE4NWU4YjA=$MTIzNDU="],
  ["test", "$unknown$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6"],
];

describe("hash/hash_comparator.go Compare", () => {
  it.each(matches)("%s: accepts the right password", async (algorithm, password, hash) => {
    expect(hashAlgorithm(hash)).toBe(algorithm);
    expect(await hasher.verify(password, hash)).toBe(true);
  });

  it.each(mismatches)("refuses %j against %s", async (password, hash) => {
    expect(await hasher.verify(password, hash)).toBe(false);
  });

  it("refuses a bcrypt password longer than 72 bytes instead of cutting it (hash/hasher_bcrypt.go, validateBcryptPasswordLength)", async () => {
    const long = "a".repeat(73);
    const hash = await hasher.hash(long);
    expect(await hasher.verify(long, hash)).toBe(false);
    expect(await hasher.verify("a".repeat(72), await hasher.hash("a".repeat(72)))).toBe(true);
  });
});

describe("hash/hash_comparator.go IsValidHashFormat", () => {
  it("knows a format by its prefix only, as Kratos' import check does", () => {
    expect(isValidHashFormat("$md5$nope")).toBe(true);
    expect(isValidHashFormat("$2$anything")).toBe(true);
    expect(isValidHashFormat("{SSHA512}x")).toBe(true);
    expect(isValidHashFormat("$pbkdf2-sha3$x")).toBe(true);
    expect(isValidHashFormat("plaintext")).toBe(false);
    expect(isValidHashFormat("$argon2d$v=19$m=32,t=2,p=4$c2FsdHNhbHQ$aGFzaA")).toBe(false);
    expect(isValidHashFormat("$2x$10$abc")).toBe(false);
    expect(isValidHashFormat("")).toBe(false);
  });
});
