/**
 * Launching test servers as child processes: each runs in its own process group on 127.0.0.1 with
 * an ephemeral port, reports readiness through a line it prints (which also carries the URL), and
 * is stopped by signalling the whole group (SIGTERM, then SIGKILL), also when the test process
 * exits or dies (a watchdog shell polls for it). Availability checks skip a server's tests locally
 * with a clear message when its binary is missing, and fail them when CI=true.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** A running server process. */
export interface ServerProcess {
  /** The first capture group of the ready pattern (normally the base URL). */
  url: string;
  /** Everything the process printed so far (for diagnostics). */
  output(): string;
  /** Stops the whole process group and waits for the exit. */
  stop(): Promise<void>;
}

/** Options of {@link startProcess}. */
export interface StartProcessOptions {
  /** Name used in messages. */
  name: string;
  command: string;
  args: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Pattern matched against stdout+stderr; its first group is returned as `url`. */
  ready: RegExp;
  /** How long to wait for the ready line (default 30 s). */
  timeoutMs?: number;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Starts a server process in its own process group and resolves once it prints its ready line. */
export async function startProcess(options: StartProcessOptions): Promise<ServerProcess> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const child of running) killGroup(child, "SIGKILL");
    });
  }
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  // If this test process dies without stopping the server (a crash, a worker killed by the test
  // runner, where no 'exit' handler runs), a watchdog kills the server's process group.
  const watchdog = spawn(
    "sh",
    ["-c", `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -KILL -${child.pid} 2>/dev/null`],
    { detached: true, stdio: "ignore" },
  );
  watchdog.unref();
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    killGroup(child, "SIGTERM");
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
    running.delete(child);
    if (watchdog.exitCode === null) watchdog.kill("SIGKILL");
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`not ready after ${options.timeoutMs ?? 30_000} ms`), options.timeoutMs ?? 30_000);
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new Error(`${options.name} failed to start: ${why}\n--- output ---\n${output.slice(-4000)}`));
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      const match = options.ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (error) => fail(error.message));
    child.once("exit", (code, signal) => fail(`exited early (code ${code}, signal ${signal})`));
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, output: () => output, stop };
}

/** The absolute path of an executable found on PATH, if any. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** Whether `command args...` runs and exits 0 (used to probe `python3 -c "import moto"`). */
export function runsOk(command: string, args: readonly string[]): boolean {
  const result = spawnSync(command, [...args], { stdio: "ignore", timeout: 30_000 });
  return result.status === 0;
}

/** Whether a server's tests can run here. */
export interface Availability {
  available: boolean;
  /** Why not, when unavailable. */
  reason?: string;
}

/**
 * Decides whether a server's tests run. Missing locally: a warning and the tests skip. Missing with
 * CI=true: throws, so the test file fails instead of silently skipping.
 */
export function requireServer(name: string, missingReason: string | undefined): Availability {
  if (missingReason === undefined) return { available: true };
  const message = `${name} is not available: ${missingReason}`;
  if (process.env.CI === "true") throw new Error(`CI=true: ${message} (CI must install it; refusing to skip)`);
  console.warn(`[skip] ${message}; skipping its tests (set it up, or run in CI where it is required)`);
  return { available: false, reason: missingReason };
}
