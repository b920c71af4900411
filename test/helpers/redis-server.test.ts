/** The test helper that runs a real redis-server: start, PING, pause, kill, restart, stop. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithRedis, pingRedis, type RedisServer, startRedisServer } from "./redis-server.js";

describeWithRedis("a real redis-server for tests", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("answers PING, goes silent when paused, dies when killed, comes back empty on restart", async () => {
    expect(await pingRedis(redis.port)).toBe(true);
    redis.pause();
    expect(await pingRedis(redis.port, 100)).toBe(false);
    redis.resume();
    expect(await pingRedis(redis.port, 1_000)).toBe(true);
    const firstPid = redis.pid;
    await redis.kill();
    expect(await pingRedis(redis.port, 100)).toBe(false);
    await redis.restart();
    expect(redis.pid).not.toBe(firstPid);
    expect(await pingRedis(redis.port)).toBe(true);
  });
});
