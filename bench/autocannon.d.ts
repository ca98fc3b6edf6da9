/** The part of autocannon's API (it ships no types) that bench/serve-load.ts uses. */
declare module 'autocannon' {
  interface Stats { average: number; mean: number; stddev: number; min: number; max: number; total: number; p50: number; p90: number; p99: number; p2_5: number; p97_5: number }
  interface Result { latency: Stats; requests: Stats; throughput: Stats; errors: number; timeouts: number; non2xx: number; duration: number; '2xx': number }
  interface Options {
    url: string; connections?: number; duration?: number; method?: string; headers?: Record<string, string>;
    requests?: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }[];
  }
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
