import type { MockProviderKind } from "../../src/testing/index.js";
import { describeFaultsThroughSdk } from "./fault-suite.js";

const KINDS: MockProviderKind[] = ["openai", "azure", "anthropic", "mistral"];
for (const kind of KINDS) describeFaultsThroughSdk(kind);
