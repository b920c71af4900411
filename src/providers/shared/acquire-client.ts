import { isConfigError } from "../../errors/config-error.js";
import { sanitizeMessage } from "../../errors/sanitize-message.js";
import { collectKnownSecrets, credentialHeaderValues } from "./collect-known-secrets.js";
import { createProviderError, type ProviderErrorContext } from "./create-provider-error.js";

/**
 * The SDK client for one call. A `ConfigError` (the SDK is not installed) is thrown as is: a
 * configuration mistake is loud. Any other failure to build the client (no API key in the
 * environment, an SDK constructor that rejects its options) is an `auth` failure of this provider,
 * which the engine takes out of rotation for a while while the call falls over.
 */
export const acquireClient = async <T>(
  getClient: () => T | Promise<T>,
  context: ProviderErrorContext,
  kind: string,
): Promise<T> => {
  try {
    return await getClient();
  } catch (error) {
    if (isConfigError(error)) throw error;
    const text = error instanceof Error ? error.message : String(error);
    throw createProviderError(context, {
      failureClass: "auth",
      message: `cannot create the ${kind} client: ${sanitizeMessage(text, context.secrets)}`,
      cause: error,
    });
  }
};

/** The provider's known secrets plus the credential values among one call's own headers. */
export const secretsForCall = (
  known: readonly string[],
  headers: Record<string, string> | undefined,
): readonly string[] =>
  headers === undefined ? known : collectKnownSecrets(known, credentialHeaderValues(headers));
