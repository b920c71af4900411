/**
 * The options of `redisStore` and `createSharedHealthStore`, checked as `createClient` checks its
 * own: a `ConfigError` whose issues name each bad option (an unknown one with its near miss), thrown
 * before the store starts anything.
 */
import { describe, expect, it } from "vitest";
import { redisStore } from "../../src/state/redis/redis-store.js";
import { createSharedHealthStore } from "../../src/state/shared-health-store.js";
import { configIssues } from "../helpers/rejections.js";
import { ScriptedBackend } from "../helpers/scripted-backend.js";

/** Looks like a node-redis client to the store; never used (every case below is refused first). */
const client = {
  isReady: false,
  sendCommand: () => Promise.reject(new Error("unused")),
  duplicate: () => {
    throw new Error("unused");
  },
};

const range = "expected whole milliseconds from 1 to 2147483647";

describe("redisStore options", () => {
  const cases: { name: string; options: unknown; issues: string[] }[] = [
    {
      name: "durations a timer cannot wait (Node would fire them after 1 ms)",
      options: { client, syncIntervalMs: 2 ** 31, timeoutMs: 1e12, maxBackoffMs: 2 ** 31 },
      issues: [
        `redisStore.syncIntervalMs: ${range}, got 2147483648`,
        `redisStore.timeoutMs: ${range}, got 1000000000000`,
        `redisStore.maxBackoffMs: ${range}, got 2147483648`,
      ],
    },
    {
      name: "durations that are not positive whole numbers",
      options: { client, syncIntervalMs: 0, timeoutMs: Number.NaN, maxBackoffMs: "5000" },
      issues: [
        `redisStore.syncIntervalMs: ${range}, got 0`,
        `redisStore.timeoutMs: ${range}, got NaN`,
        `redisStore.maxBackoffMs: ${range}, got a string`,
      ],
    },
    {
      name: "an instance that is not a non-empty string",
      options: { client, instance: 42 },
      issues: ["redisStore.instance: expected a non-empty string, got 42"],
    },
    {
      name: "an empty instance",
      options: { client, instance: "" },
      issues: ["redisStore.instance: expected a non-empty string, got a string"],
    },
    {
      name: "pubsub that is not a boolean",
      options: { client, pubsub: "no" },
      issues: ["redisStore.pubsub: expected a boolean, got a string"],
    },
    {
      name: "misspelt keys, with their near misses",
      options: { client, keyprefix: "typo:", syncIntervalMS: 10, colour: "red" },
      issues: [
        'redisStore: unknown option "keyprefix" (did you mean "keyPrefix"?)',
        'redisStore: unknown option "syncIntervalMS" (did you mean "syncIntervalMs"?)',
        'redisStore: unknown option "colour" (expected one of: client, keyPrefix, pubsub, instance, syncIntervalMs, timeoutMs, maxBackoffMs)',
      ],
    },
    {
      name: "no client, or not a Redis client",
      options: { client: "redis://localhost:6379", keyPrefix: 5 },
      issues: [
        "redisStore.client: expected a node-redis client (redis 5+) or an ioredis client",
        "redisStore.keyPrefix: expected a string, got 5",
      ],
    },
    {
      name: "not an object",
      options: undefined,
      issues: ["redisStore(options): expected { client, keyPrefix? }"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(configIssues(() => redisStore(c.options as never))).toEqual(c.issues);
    });
  }

  it("the largest timer is accepted", async () => {
    const store = createSharedHealthStore(new ScriptedBackend(), {
      syncIntervalMs: 2 ** 31 - 1,
      timeoutMs: 2 ** 31 - 1,
      maxBackoffMs: 2 ** 31 - 1,
    });
    await store.close();
  });
});

describe("createSharedHealthStore options", () => {
  it("names its own options, and its unknown keys' near misses", () => {
    expect(
      configIssues(() =>
        createSharedHealthStore(new ScriptedBackend(), {
          instance: 7,
          timeoutMs: 2 ** 31,
          maxBackof: 100,
        } as never),
      ),
    ).toEqual([
      'createSharedHealthStore: unknown option "maxBackof" (did you mean "maxBackoffMs"?)',
      "createSharedHealthStore.instance: expected a non-empty string, got 7",
      `createSharedHealthStore.timeoutMs: ${range}, got 2147483648`,
    ]);
  });
});
