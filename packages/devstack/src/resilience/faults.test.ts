/**
 * Fault runs on a real dev stack (`node src/cli.ts`, as `npm run dev` runs
 * it, backend only, every port free so nothing else is disturbed): its real
 * postmaster stopped for 10 s under load, then its real mail catcher stopped while
 * mail is being sent. Bounded: five virtual clients on loopback, a request
 * budget and a time limit; about a minute and a half in all.
 *
 * Figures for the README's security section are printed as one JSON line
 * ("fault-run figures").
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MailCatcher } from "../mail/catcher";
import type { DevstackOptions } from "../options";
import type { RunningPostgres } from "../postgres/server";
import { devstackUrls } from "../urls";
import { removeTestDataDirs, runCli, testOptions, type CliRun } from "../test-support";
import { restartMailCatcher, restartPostgres, stopMailCatcher, stopPostmaster } from "./faults";
import {
  clientCredentials,
  createMachineClient,
  registerClient,
  registerCustomer,
  requestRecoveryCode,
  signInAdmin,
  signInCustomer,
  stackEndpoints,
  VirtualClient,
  type JourneyContext,
  type StackEndpoints,
} from "./journeys";
import { startLoad } from "./load";
import { courierMessages, eventually, inboxCounts, type CourierMessage } from "./mail";
import { LoadRecorder } from "./recorder";
import { auditClients, auditCustomers } from "./records";

const OUTAGE_MS = 10_000;
const WARM_UP_MS = 4_000;
/** Load kept going after Postgres is back: long enough for every journey to succeed again. */
const RECOVERY_MS = 10_000;
const MAILS_WHILE_DOWN = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(removeTestDataDirs);

describe("the running dev stack under faults (real Postgres and mail catcher processes stopped)", () => {
  let options: DevstackOptions;
  let cli: CliRun;
  /** Processes this test started in place of the dev stack's own (which it stopped). */
  let postgres: RunningPostgres | undefined;
  let mail: MailCatcher | undefined;

  beforeAll(async () => {
    options = await testOptions();
    cli = runCli({ OLYMPUS_DATA_DIR: options.dataDir, OLYMPUS_DEV_PORTS: JSON.stringify(options.ports) });
    await cli.waitFor(/^ready$/m, 150_000);
  });

  afterAll(async () => {
    if (cli && cli.child.exitCode === null) {
      cli.child.kill("SIGTERM");
      await cli.exited;
    }
    await mail?.stop();
    await postgres?.stop();
  });

  /** A fresh load context: its own recorder, nothing acknowledged yet. */
  const journeyContext = (endpoints: StackEndpoints, machineClients: JourneyContext["machineClients"]): JourneyContext => ({
    endpoints,
    recorder: new LoadRecorder(),
    admin: options.admin,
    machineClients,
    customers: [],
    registeredClients: new Map(),
  });

  const readiness = () => {
    const urls = devstackUrls(options.ports, { host: "127.0.0.1", port: options.ports.postgres });
    return [urls.ciam, urls.iam].flatMap((d) => [d.health.kratosPublic, d.health.kratosAdmin, d.health.hydraPublic, d.health.hydraAdmin]);
  };
  const notReady = async () => {
    const statuses = await Promise.all(
      readiness().map(
        async (url) =>
          [
            url,
            await fetch(url).then(
              (r) => r.status,
              () => 0,
            ),
          ] as const,
      ),
    );
    return statuses.filter(([, status]) => status !== 200);
  };
  const expectStackAlive = () => {
    expect(cli.child.exitCode, `the dev stack exited:\n${cli.stdout()}\n${cli.stderr()}`).toBeNull();
    expect(cli.stderr()).not.toMatch(/unhandled|uncaught|TypeError|ReferenceError/i);
  };

  it("answers 503 while its Postgres is stopped for 10 s, recovers without a restart, and loses or doubles no acknowledged record", async () => {
    const endpoints = stackEndpoints(options.ports);
    const context = journeyContext(endpoints, {
      ciam: await createMachineClient(endpoints.ciamHydraAdmin),
      iam: await createMachineClient(endpoints.iamHydraAdmin),
    });
    const { recorder } = context;
    const load = startLoad(context, {
      // Three clients on Kratos (bcrypt at cost 12 keeps them slow), two on Hydra.
      clients: [
        [registerCustomer, signInCustomer],
        [registerCustomer, signInAdmin, signInCustomer],
        [registerCustomer, registerCustomer, signInCustomer],
        [clientCredentials("ciam"), registerClient, clientCredentials("iam")],
        [clientCredentials("iam"), clientCredentials("ciam")],
      ],
      maxRequests: 20_000,
      maxMs: 90_000,
      pauseMs: 20,
    });
    let duringOutage: ReturnType<typeof recorder.totals>;
    try {
      await sleep(WARM_UP_MS);
      const beforeOutage = recorder.totals();
      await stopPostmaster(options.dataDir);
      await sleep(OUTAGE_MS);
      const atRestart = recorder.totals();
      duringOutage = {
        ...atRestart,
        requests: atRestart.requests - beforeOutage.requests,
        unavailable: atRestart.unavailable - beforeOutage.unavailable,
      };
      postgres = await restartPostgres(options.dataDir, options.ports.postgres);
      recorder.mark();
      await sleep(RECOVERY_MS);
    } finally {
      await load.stop();
    }

    const totals = recorder.totals();
    const counts = Object.fromEntries([...recorder.counts].sort());
    expect(recorder.problems, JSON.stringify(counts)).toEqual([]);
    expect(totals.serverErrors).toBe(0);
    expect(totals.unanswered).toBe(0);
    // The outage was felt: requests that needed the database were told to come back later.
    expect(duringOutage.unavailable, JSON.stringify(counts)).toBeGreaterThan(0);
    // Every journey works again, without anyone restarting the servers.
    for (const step of [
      "CIAM registration",
      "CIAM sign-in",
      "IAM sign-in",
      "CIAM client_credentials",
      "IAM client_credentials",
      "CIAM client registration",
    ]) {
      expect([step, recorder.servedSinceLastMark(step) > 0]).toEqual([step, true]);
    }
    expectStackAlive();
    expect(
      await eventually(async () => ((await notReady()).length === 0 ? true : undefined), 15_000),
      JSON.stringify(await notReady()),
    ).toBe(true);

    const customers = await auditCustomers(options.ports.postgres, context.customers);
    const clients = await auditClients(options.ports.postgres, context.registeredClients);
    expect(customers.acknowledged).toBeGreaterThan(0);
    expect(clients.acknowledged).toBeGreaterThan(0);
    expect({ missing: customers.missing, duplicated: customers.duplicated }).toEqual({ missing: [], duplicated: [] });
    expect({ missing: clients.missing, duplicated: clients.duplicated }).toEqual({ missing: [], duplicated: [] });

    console.log(
      `fault-run figures (postgres): ${JSON.stringify({
        outageMs: OUTAGE_MS,
        ...totals,
        unavailableDuringOutage: duringOutage.unavailable,
        registrationsAcknowledged: customers.acknowledged,
        registrationsFound: customers.found,
        clientsAcknowledged: clients.acknowledged,
        clientsFound: clients.found,
        recordsLost: customers.missing.length + clients.missing.length,
        recordsDuplicated: customers.duplicated.length + clients.duplicated.length,
        counts,
      })}`,
    );
  });

  it("keeps mail queued while the mail catcher is stopped and delivers every one when it is back", async () => {
    const endpoints = stackEndpoints(options.ports);
    // Mail only: no journey here asks Hydra for tokens.
    const noMachineClient = { clientId: "", clientSecret: "" };
    const context = journeyContext(endpoints, { ciam: noMachineClient, iam: noMachineClient });
    const { recorder } = context;
    const client = new VirtualClient(99);
    const inboxApi = `http://127.0.0.1:${options.ports.inbox}/api/email`;

    await stopMailCatcher(options.dataDir);
    const stoppedAt = Date.now();
    expect(await smtpAnswers(options.ports.smtp)).toBe(false);

    // Registrations send a verification code; then one recovery code per address on top.
    await Promise.all(Array.from({ length: MAILS_WHILE_DOWN }, () => registerCustomer(context, client)));
    expect(context.customers).toHaveLength(MAILS_WHILE_DOWN);
    await Promise.all(context.customers.map((customer) => requestRecoveryCode(context, customer.email, client)));
    expect(recorder.problems).toEqual([]);
    const recipients = context.customers.map((c) => c.email);
    const expectedMails = recipients.length * 2;

    // Each message has been tried, failed, and waits in the queue for the next attempt.
    const allQueued = await eventually(async () => {
      const messages = (await Promise.all(recipients.map((r) => courierMessages(endpoints.ciamKratosAdmin, r)))).flat();
      return messages.length === expectedMails && messages.every((m) => m.status === "queued" && m.send_count >= 1) ? messages : undefined;
    }, OUTAGE_MS);
    expect(allQueued?.map((m) => m.template_type).sort()).toEqual([
      ...Array<string>(recipients.length).fill("recovery_code_valid"),
      ...Array<string>(recipients.length).fill("verification_code_valid"),
    ]);
    expectStackAlive();
    // Down as long as Postgres was; well inside the courier's patience (5 retries, doubling from 1 s: ~30 s).
    await sleep(OUTAGE_MS - (Date.now() - stoppedAt));

    mail = await restartMailCatcher(options.dataDir, { smtp: options.ports.smtp, inbox: options.ports.inbox });

    // The courier's back-off (doubling from courier.worker.pull_wait = 1 s) brings the next attempt within ~16 s.
    const sent = await eventually(async () => {
      const messages = (await Promise.all(recipients.map((r) => courierMessages(endpoints.ciamKratosAdmin, r)))).flat();
      return messages.every((m) => m.status === "sent") ? messages : undefined;
    }, 45_000);
    const statuses = (await Promise.all(recipients.map((r) => courierMessages(endpoints.ciamKratosAdmin, r))))
      .flat()
      .map((m: CourierMessage) => m.status);
    expect(sent, JSON.stringify(statuses)).toBeDefined();
    const delivered = await eventually(async () => {
      const counts = await inboxCounts(inboxApi);
      return recipients.every((r) => counts.get(r) === 2) ? counts : undefined;
    }, 10_000);
    expect(delivered, "every address got its verification and its recovery mail, once each").toBeDefined();
    expectStackAlive();

    console.log(
      `fault-run figures (mail): ${JSON.stringify({
        mailOutageMs: OUTAGE_MS,
        mailsQueued: allQueued?.length ?? 0,
        mailsSent: sent?.length ?? 0,
        mailsDelivered: recipients.reduce((n, r) => n + (delivered?.get(r) ?? 0), 0),
        attempts: sent?.reduce((n, m) => n + m.send_count, 0),
      })}`,
    );
  });
});

/** True when something accepts a TCP connection on the SMTP port. */
function smtpAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
