/* The health store seam: what `createClient({ store })` takes, and the pieces to write a shared one. */
export type {
  HealthBackend,
  HealthChange,
  HealthExchange,
  HealthKeyId,
  HealthOp,
  HealthRecord,
  HealthSnapshot,
} from "./health-backend.js";
export type {
  FleetView,
  HealthLink,
  HealthOrigin,
  HealthPeer,
  HealthSignal,
  SharedBreaker,
  SharedCooling,
  SharedHealthUpdate,
  StoreStatus,
} from "./health-link.js";
export type {
  BreakerMode,
  CoolingMode,
  HealthCell,
  HealthKey,
  HealthStore,
  Probe,
  ProbeLease,
} from "./health-state.js";
export {
  createSharedHealthStore,
  type SharedHealthStore,
  type SharedHealthStoreOptions,
  type SharedStoreStats,
  StoreTimeoutError,
} from "./shared-health-store.js";
export type { StoreErrorEvent, StoreStatusEvent, StoreSubscription } from "./store-events.js";
