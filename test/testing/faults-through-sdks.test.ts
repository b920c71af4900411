import { describeFaultsThroughSdk, type SdkKind } from "./fault-suite.js";

const KINDS: SdkKind[] = ["openai", "azure", "anthropic", "mistral"];
for (const kind of KINDS) describeFaultsThroughSdk(kind);
