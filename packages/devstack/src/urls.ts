import { DOMAINS, type Domain } from "@olympus/runtime-config/config";
import type { DevstackPorts } from "./options";

export interface DomainUrls {
  /** Browser URLs on the domain's own host, so cookies stay host-scoped as in production. */
  hera: string;
  athena: string;
  kratosPublic: string;
  hydraPublic: string;
  /** Admin APIs: loopback only, never a browser's business. */
  kratosAdmin: string;
  hydraAdmin: string;
  /** What the dev stack probes (Node cannot resolve *.localhost). */
  health: {
    hera: string;
    athena: string;
    kratosPublic: string;
    kratosAdmin: string;
    hydraPublic: string;
    hydraAdmin: string;
  };
}

export interface DevstackUrls {
  ciam: DomainUrls;
  iam: DomainUrls;
  /** The demo relying party, a CIAM app on the CIAM host. */
  demo: string;
  demoHealth: string;
  inbox: string;
  inboxApi: string;
  smtp: string;
  postgres: string;
  /** The olympus database (settings, audit log, Athena's sessions); each Athena logs in as its own role. */
  olympusDatabase: string;
}

export function domainUrls(domain: Domain, ports: DevstackPorts): DomainUrls {
  const p = ports[domain];
  const browser = (port: number) => `http://${domain}.localhost:${port}`;
  const loopback = (port: number) => `http://127.0.0.1:${port}`;
  return {
    hera: browser(p.hera),
    athena: browser(p.athena),
    kratosPublic: browser(p.kratosPublic),
    hydraPublic: browser(p.hydraPublic),
    kratosAdmin: loopback(p.kratosAdmin),
    hydraAdmin: loopback(p.hydraAdmin),
    health: {
      hera: `${loopback(p.hera)}/api/health`,
      athena: `${loopback(p.athena)}/api/health`,
      kratosPublic: `${loopback(p.kratosPublic)}/health/ready`,
      kratosAdmin: `${loopback(p.kratosAdmin)}/health/ready`,
      hydraPublic: `${loopback(p.hydraPublic)}/health/ready`,
      hydraAdmin: `${loopback(p.hydraAdmin)}/health/ready`,
    },
  };
}

export function devstackUrls(ports: DevstackPorts, database: { host: string; port: number }): DevstackUrls {
  const [ciam, iam] = DOMAINS.map((domain) => domainUrls(domain, ports)) as [DomainUrls, DomainUrls];
  return {
    ciam,
    iam,
    demo: `http://ciam.localhost:${ports.demo}`,
    demoHealth: `http://127.0.0.1:${ports.demo}/api/health`,
    inbox: `http://localhost:${ports.inbox}`,
    inboxApi: `http://127.0.0.1:${ports.inbox}/api/email`,
    smtp: `smtp://127.0.0.1:${ports.smtp}`,
    postgres: `postgres://${database.host}:${database.port}`,
    olympusDatabase: `postgres://${database.host}:${database.port}/olympus`,
  };
}
