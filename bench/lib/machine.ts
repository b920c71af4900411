import { readFileSync } from "node:fs";
import os from "node:os";

export interface MachineInfo {
  node: string;
  v8: string;
  os: string;
  cpuModel: string;
  cores: number;
  memory: string;
  loadAverage: string;
  sdks: string;
}

const versionOf = (pkg: string): string => {
  try {
    const url = new URL(`../../node_modules/${pkg}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
};

export const loadAverage = (): string =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ");

/**
 * Whether other processes compete for the CPU: the 1-minute load average above the core count, plus
 * `ownLoad` for what this run itself contributes (the client process and the mock host: about 1.5).
 */
export const machineIsBusy = (ownLoad = 0): boolean => os.loadavg()[0]! > os.cpus().length + ownLoad;

export const machineInfo = (): MachineInfo => {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    os: `${os.platform()} ${os.release()} (${os.arch()})`,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    loadAverage: loadAverage(),
    sdks: ["openai", "@anthropic-ai/sdk", "@mistralai/mistralai"]
      .map((p) => `${p} ${versionOf(p)}`)
      .join(", "),
  };
};
