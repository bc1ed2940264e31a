import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure } from "../testing/flow-json";
import { startKratosWithPostgres, stopKratosAndPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * Importing hashed passwords (identity/handler_import.go,
 * importPasswordCredentials + hash.IsValidHashFormat), logging in with them
 * (hash/hash_comparator.go, Compare) and their migration to the configured
 * hasher — bcrypt cost 4 here — during the first successful login
 * (selfservice/strategy/password/login.go, Login: migratePasswordHash when
 * the hasher does not Understand the stored hash).
 */
describe("admin import of hashed passwords", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_admin_import_hashes")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const importWith = (email: string, config: Record<string, unknown>) =>
    kratos.identity.createIdentity({
      createIdentityBody: { schema_id: "default", traits: { email }, credentials: { password: { config } } },
    });

  const storedHash = async (id: string) => {
    const { data } = await kratos.identity.getIdentity({ id, includeCredential: ["password"] });
    return (data.credentials?.password?.config as { hashed_password?: string }).hashed_password;
  };

  const login = async (identifier: string, password: string) => {
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    return kratos.frontend.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: { method: "password", identifier, password } });
  };

  // Vectors Kratos' own tests accept (hash/hasher_test.go TestCompare) and openssl passwd output.
  const formats: [string, string, string][] = [
    ["md5", "test", "$md5$CY9rzUYh03PK3k6DJie09g=="],
    ["md5 with salt format", "test", "$md5$pf=e1NBTFR9e1BBU1NXT1JEfQ==$MTIz$q+RdKCgc+ipCAcm5ChQwlQ=="],
    ["md5crypt", "test", "$md5-crypt$TVEiiKNb$SN6/pUaRQS/E8Jh46As2C/"],
    ["sha1", "test", "$sha1$pf=e1NBTFR9e1BBU1NXT1JEfQ==$NW9wbWtnejAzcg==$2qU2SGWP8viTM1md3FiI3+rjWXQ="],
    ["sha256", "test", "$sha256$pf=e1NBTFR9e1BBU1NXT1JEfQ==$NW9wbWtnejAzcg==$0gfRVLCvtBCk20udLDEY5vNhujWx7RGjwRIS1ebMsLY="],
    [
      "sha512",
      "test",
      "$sha512$pf=e1NBTFR9e1BBU1NXT1JEfQ==$NW9wbWtnejAzcg==$6ctpVuApMNp0CgBXcdHw/GC562eFEFGr4gpgANX8ZYsX+j5B19IkdmOY2Fytsz3QUwSWdGcUjbqwgJGTH0UYvw==",
    ],
    ["ssha", "test123", "{SSHA}JFZFs0oHzxbMwkSJmYVeI8MnTDy/276a"],
    ["ssha256", "test123", "{SSHA256}czO44OTV17PcF1cRxWrLZLy9xHd7CWyVYplr1rOhuMlx/7IK"],
    ["ssha512", "test123", "{SSHA512}xPUl/px+1cG55rUH4rzcwxdOIPSB2TingLpiJJumN2xyDWN4Ix1WQG3ihnvHaWUE8MYNkvMi5rf0C9NYixHsE6Yh59M="],
    ["sha256crypt", "Hello world!", "$sha256-crypt$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5"],
    [
      "sha512crypt",
      "Hello world!",
      "$sha512-crypt$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.",
    ],
    [
      "pbkdf2",
      "test",
      "$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI",
    ],
    [
      "scrypt",
      "test",
      "$scrypt$ln=16384,r=8,p=1$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE=",
    ],
    [
      "firescrypt",
      "8x4WjoDbSxJZdR",
      "$firescrypt$ln=14,r=8,p=1$sPtDhWcd1MfdAw==$xbSou7FOl6mChCyzpCPIQ7tku7nsQMTFtyOZSXXd7tjBa4NtimOx7v42Gv2SfzPQu1oxM2/k4SsbOu73wlKe1A==$Bw==$YE0dO4bwD4JnJafh6lZZfkp1MtKzuKAXQcDCJNJNyeCHairWHKENOkbh3dzwaCdizzOspwr/FITUVlnOAwPKyw==",
    ],
    ["argon2i", "test", "$argon2i$v=19$m=65536,t=3,p=4$kk51rW/vxIVCYn+EG4kTSg$NyT88uraJ6im6dyha/M5jhXvpqlEdlS/9fEm7ScMb8c"],
    ["argon2id", "test", "$argon2id$v=19$m=32,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw"],
    ["hmac-sha…/md5", "test", "$hmac-md5$ZmU4Njk3Zjc0MmQwODA0MDVkMTI3MGU2MTYzMzE2Zjk=$MTIzNDU="],
  ];

  it.each(formats)(
    "%s: imported, refused with a wrong password, accepted and re-hashed to bcrypt on the first login",
    async (_name, password, hash) => {
      const email = uniqueEmail("import-hash");
      const { status, data } = await importWith(email, { hashed_password: hash });
      expect(status).toBe(201);
      expect(data.credentials?.password?.identifiers).toEqual([email]);

      expect((await expectFailure(login(email, `${password}-wrong`))).status).toBe(400);
      expect(await storedHash(data.id)).toBe(hash);

      expect((await login(email, password)).status).toBe(200);
      // Migrated inside the login submission, before its answer.
      expect(await storedHash(data.id)).toMatch(/^\$2a\$04\$/);
      expect((await login(email, password)).status).toBe(200);
    },
  );

  it("keeps a bcrypt hash of another cost: the bcrypt hasher Understands it (hash/hasher_bcrypt.go)", async () => {
    const email = uniqueEmail("import-bcrypt");
    const hash = "$2a$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6";
    const { data } = await importWith(email, { hashed_password: hash });
    expect((await login(email, "test")).status).toBe(200);
    expect(await storedHash(data.id)).toBe(hash);
  });

  it("refuses a hash of no known format with Kratos' reason, and accepts any known prefix (IsValidHashFormat)", async () => {
    for (const hashed_password of ["not-a-hash", "", "$argon2d$v=19$m=32,t=2,p=4$c2FsdHNhbHQ$aGFzaA"]) {
      const res = await expectFailure(importWith(uniqueEmail("bad-hash"), { hashed_password }));
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject({
        error: {
          code: 400,
          status: "Bad Request",
          reason: "The imported password does not match any known hash format. For more information see https://www.ory.sh/dr/2",
          message: "The request was malformed or contained invalid parameters",
        },
      });
    }
    // An empty config is an empty hash, too.
    expect((await expectFailure(importWith(uniqueEmail("bad-hash"), {}))).status).toBe(400);

    // Only the prefix is checked at import: the hash is stored, and no password ever matches it.
    const email = uniqueEmail("broken-md5");
    expect((await importWith(email, { hashed_password: "$md5$nope" })).status).toBe(201);
    expect((await expectFailure(login(email, "nope"))).status).toBe(400);
  });

  it("hashes a plaintext password with the configured hasher and stores the migration-hook marker as given", async () => {
    const plain = await importWith(uniqueEmail("plain"), { password: "imported-plaintext-1", hashed_password: "$md5$ignored" });
    expect(await storedHash(plain.data.id)).toMatch(/^\$2a\$04\$/);

    const hook = await importWith(uniqueEmail("hook"), { use_password_migration_hook: true });
    const { data } = await kratos.identity.getIdentity({ id: hook.data.id, includeCredential: ["password"] });
    expect(data.credentials?.password?.config).toEqual({ use_password_migration_hook: true });
  });
});
