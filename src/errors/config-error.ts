import { AiFailoverError, hasErrorName } from "./ai-failover-error.js";

/** The configuration given to `createClient` / `withFailover` / a provider factory is invalid. */
export class ConfigError extends AiFailoverError {
  override name = "ConfigError";
  /** Each problem as `path: message`, e.g. `providers.1.model: required`. */
  readonly issues: string[];

  constructor(issues: string[]) {
    super(`Invalid ai-failover configuration:\n  - ${issues.join("\n  - ")}`);
    this.issues = issues;
  }
}

export const isConfigError = (error: unknown): error is ConfigError => hasErrorName(error, "ConfigError");
