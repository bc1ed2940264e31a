/**
 * HTTP load generator run as a separate Node process (`node -e`), so the
 * server under test keeps its process to itself and its CPU time can be
 * measured with process.cpuUsage(). Reads LOAD_CONFIG, prints one JSON line.
 * Lane i sends the i-th header set (cycling): with one session token per
 * lane, concurrent requests ask for different sessions, as real traffic does.
 */
export const LOAD_WORKER_SOURCE = `
const http = require("node:http");
const { url, headerSets, concurrency, durationMs } = JSON.parse(process.env.LOAD_CONFIG);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = [];
let errors = 0;
const deadline = Date.now() + durationMs;

function once(headers) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: "GET", headers, agent }, (res) => {
      res.resume();
      res.on("end", () => {
        if (res.statusCode !== 200) errors++;
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        resolve();
      });
    });
    req.on("error", () => { errors++; resolve(); });
    req.end();
  });
}

async function lane(index) {
  const headers = headerSets[index % headerSets.length];
  while (Date.now() < deadline) await once(headers);
}

const began = Date.now();
Promise.all(Array.from({ length: concurrency }, (_, i) => lane(i))).then(() => {
  agent.destroy();
  process.stdout.write(JSON.stringify({ count: latencies.length, errors, elapsedMs: Date.now() - began, latencies }));
});
`;
