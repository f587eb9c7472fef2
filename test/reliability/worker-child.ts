// Run by stack-output.test.ts in a child process: starts the real Worker with the bindings in
// $WORKER_VARS at $WORKER_LOG_LEVEL, makes one request, stops. Every outbound connection the
// process attempts is printed as `CONNECT <host>` (so the test sees traffic leaving the machine).
import net from "node:net";
import { startWorker } from "../../dev/worker.js";

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string;
  const host =
    typeof first === "object" && first
      ? first.path
        ? `unix:${first.path}`
        : (first.host ?? "localhost")
      : typeof args[1] === "string"
        ? args[1]
        : "localhost";
  process.stdout.write(`CONNECT ${host}\n`);
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

const vars = JSON.parse(process.env.WORKER_VARS ?? "{}") as Record<string, string>;
const worker = await startWorker({ vars, logLevel: (process.env.WORKER_LOG_LEVEL ?? "log") as "log" });
const res = await fetch(`${worker.url}/health`);
process.stdout.write(`HEALTH ${res.status}\n`);
await worker.stop();
